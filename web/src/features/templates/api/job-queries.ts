import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, unwrap, useApi, type components } from '@/lib/api';

export type Job = components['schemas']['Job'];
export type ApplyRequest = components['schemas']['ApplyRequest'];
export type ApplyFilter = components['schemas']['ApplyFilter'];
export type JobProblem = components['schemas']['JobProblem'];

/** Problems per page of the job view. */
export const PROBLEM_PAGE_SIZE = 25;
/** How often a running job is read again: often enough to see it move, rarely enough for the API. */
const POLL_MS = 1000;

const RUNNING: ReadonlySet<Job['state']> = new Set(['queued', 'running']);
export const isRunning = (job: Job) => RUNNING.has(job.state);

export const jobKeys = {
  one: (id: string) => ['jobs', id] as const,
  problems: (id: string, cursor: string | undefined) => ['jobs', id, 'problems', cursor ?? null] as const,
};

/**
 * POST /templates/{id}/apply. The key is made once per confirmed apply: a double click, or a
 * retry after a lost answer, gets the job the first request started, never a second job.
 */
export function useApplyTemplate(templateId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    networkMode: 'always',
    mutationFn: ({ body, idempotencyKey }: { body: ApplyRequest; idempotencyKey: string }) =>
      unwrap(api.POST('/templates/{id}/apply', { params: { path: { id: templateId }, header: { 'Idempotency-Key': idempotencyKey } }, body })),
    onSuccess: (job) => queryClient.setQueryData(jobKeys.one(job.id), job),
  });
}

/** A job, read again every second while it is queued or running. */
export function useJob(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: jobKeys.one(id),
    queryFn: ({ signal }) => unwrap(api.GET('/jobs/{id}', { params: { path: { id } }, signal })),
    // Until it ends; a job that is not there (404) is not asked for again.
    refetchInterval: (query) => {
      const { data, error } = query.state;
      if (error instanceof ApiError && error.status === 404) return false;
      return data && !isRunning(data) ? false : POLL_MS;
    },
  });
}

/** One page of the tasks the job skipped or failed; `revision` (the job's counts) reads the page again as they grow. */
export function useJobProblems(id: string, cursor: string | undefined, revision: string) {
  const api = useApi();
  return useQuery({
    queryKey: [...jobKeys.problems(id, cursor), revision],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/jobs/{id}/problems', { params: { path: { id }, query: { limit: PROBLEM_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }, signal })),
    placeholderData: keepPreviousData,
  });
}
