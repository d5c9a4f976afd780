import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap, useApi, type components } from '@/lib/api';

type Task = components['schemas']['Task'];
type NoticeInput = components['schemas']['NoticeInput'];

/**
 * Saves a task's notices: a merge patch (PATCH /tasks/{id}) naming `notices` replaces the
 * whole list, so it carries every notice kept, with its id, and the version read (409 when
 * someone saved the task since). The register's rows (clock mark, next notice) are refreshed.
 */
export function useSaveNotices(taskId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ notices, version }: { notices: NoticeInput[]; version: number }) =>
      unwrap<Task>(
        api.PATCH('/tasks/{id}', {
          params: { path: { id: taskId } },
          body: { notices, version },
          headers: { 'Content-Type': 'application/merge-patch+json' },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tasks'] }),
    // Offline, the save fails at once and says so, rather than waiting unseen for the network.
    networkMode: 'always',
  });
}

/** The task as stored now (after a 409: the user reloads, then makes the change again). */
export function useReloadTask(taskId: string) {
  const api = useApi();
  return useMutation({
    mutationFn: () => unwrap<Task>(api.GET('/tasks/{id}', { params: { path: { id: taskId } } })),
    networkMode: 'always',
  });
}
