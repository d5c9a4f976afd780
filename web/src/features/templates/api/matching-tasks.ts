import { useQuery } from '@tanstack/react-query';
import { unwrap, useApi } from '@/lib/api';
import type { ApplyFilter } from './job-queries';

/** As many tasks as one page of GET /tasks holds: up to this many, the confirm step counts exactly. */
export const COUNTED_TASKS = 100;

/** The first tasks the filter matches (the register's query), for the confirm step to count what will change. */
export function useMatchingTasks(filter: ApplyFilter, enabled: boolean) {
  const api = useApi();
  const { hasNotices, ...rest } = filter;
  const query = { ...rest, ...(hasNotices === undefined ? {} : { hasNotices: hasNotices ? ('true' as const) : ('false' as const) }) };
  return useQuery({
    queryKey: ['tasks', 'register', 'apply-count', filter],
    queryFn: ({ signal }) => unwrap(api.GET('/tasks', { params: { query: { ...query, limit: COUNTED_TASKS } }, signal })),
    enabled,
    select: (page) => ({ tasks: page.items, more: page.nextCursor !== undefined }),
  });
}
