import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { unwrap, useApi, type components } from '@/lib/api';

export type DocumentSummary = components['schemas']['DocumentSummary'];

/** One page of the customer's sent copies (GET /documents?customerId=), newest first. */
export function useCustomerDocuments(customerId: string, cursor: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['documents', 'customer', customerId, cursor ?? null],
    queryFn: ({ signal }) => unwrap(api.GET('/documents', { params: { query: { customerId, limit: 25, ...(cursor ? { cursor } : {}) } }, signal })),
    placeholderData: keepPreviousData,
  });
}

/** A task's title for a document row (GET /tasks/{id}); the task may since have been deleted (404). */
export function useTaskTitle(taskId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['documents', 'task-title', taskId],
    queryFn: async ({ signal }) => (await unwrap(api.GET('/tasks/{id}', { params: { path: { id: taskId } }, signal }))).title,
    staleTime: 5 * 60_000,
    retry: false,
  });
}
