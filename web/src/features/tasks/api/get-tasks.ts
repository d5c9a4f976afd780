import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { unwrap, useApi, type components } from '@/lib/api';
import type { TaskFilters } from '../utils/register-params';

export type Task = components['schemas']['Task'];
export type RegisterPage = components['schemas']['RegisterPage'];

/** Rows per page: a screenful, and at most that many customer names to look up. */
export const PAGE_SIZE = 25;

/**
 * One page of the register (GET /tasks: by deadline, earliest first, tasks without one last).
 * Only the page on screen is loaded, however many tasks the firm has; the page shown stays
 * while the next one loads.
 */
export function useTasks(filters: TaskFilters, cursor: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['tasks', 'register', filters, cursor ?? null],
    queryFn: ({ signal }) => unwrap(api.GET('/tasks', { params: { query: { ...filters, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } }, signal })),
    placeholderData: keepPreviousData,
  });
}
