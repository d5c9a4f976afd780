import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { unwrap, useApi, type components } from '@/lib/api';

export type CustomerTask = components['schemas']['Task'];

/** One page of the customer's tasks (GET /tasks?customerId=), by deadline. */
export function useCustomerTasks(customerId: string, cursor: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['tasks', 'customer', customerId, cursor ?? null],
    queryFn: ({ signal }) => unwrap(api.GET('/tasks', { params: { query: { customerId, limit: 25, ...(cursor ? { cursor } : {}) } }, signal })),
    placeholderData: keepPreviousData,
  });
}
