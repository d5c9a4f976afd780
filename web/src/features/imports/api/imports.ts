import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { unwrap, useApi, type components } from '@/lib/api';

export type Job = components['schemas']['Job'];
export type JobProblem = components['schemas']['JobProblem'];

const PROBLEMS_PAGE_SIZE = 50;
/** How often a running job is read again: its steps take seconds. */
const POLL_MS = 1500;

/**
 * Uploads a CSV file as it is (POST /imports, text/csv). `key` is the upload's Idempotency-Key:
 * sending the same file again after a lost answer gets the same job back.
 */
export function useStartImport() {
  const api = useApi();
  return useMutation({
    networkMode: 'always',
    mutationFn: ({ file, key }: { file: File; key: string }) =>
      unwrap(
        api.POST('/imports', {
          body: file as unknown as string,
          bodySerializer: (body: unknown) => body as string,
          headers: { 'content-type': 'text/csv', 'Idempotency-Key': key },
        }),
      ),
  });
}

export function isActive(job: Pick<Job, 'state'>): boolean {
  return job.state === 'queued' || job.state === 'running';
}

/** A background job (GET /jobs/{id}), read again while it runs. */
export function useJob(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['jobs', id],
    enabled: id !== undefined,
    queryFn: ({ signal }) => unwrap(api.GET('/jobs/{id}', { params: { path: { id: id! } }, signal })),
    refetchInterval: (query) => (query.state.data && isActive(query.state.data) ? POLL_MS : false),
  });
}

/** One page of a finished job's problems (GET /jobs/{id}/problems), by line. */
export function useJobProblems(id: string, cursor: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['jobs', id, 'problems', cursor ?? null],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/jobs/{id}/problems', { params: { path: { id }, query: { limit: PROBLEMS_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }, signal })),
    placeholderData: keepPreviousData,
  });
}
