import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { unwrap, useApi, type components } from '@/lib/api';

export type Task = components['schemas']['Task'];
export type TaskCreate = components['schemas']['TaskCreate'];
export type TaskPatch = components['schemas']['TaskPatch'];
export type Plan = components['schemas']['Plan'];
export type Delivery = components['schemas']['DeliveryList']['items'][number];
export type InFlight = components['schemas']['InFlight'];

/**
 * A change is tried even when the browser says it is offline, so a lost connection is told to
 * the user ("no contact with Frist") instead of the save waiting silently.
 */
const SEND_NOW = { networkMode: 'always' } as const;

export const taskKeys = {
  one: (id: string) => ['tasks', 'one', id] as const,
  plan: (id: string) => ['tasks', 'one', id, 'plan'] as const,
  deliveries: (id: string) => ['tasks', 'one', id, 'deliveries'] as const,
  register: ['tasks', 'register'] as const,
};

/** One task, with its notices. */
export function useTask(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: taskKeys.one(id),
    queryFn: ({ signal }) => unwrap(api.GET('/tasks/{id}', { params: { path: { id } }, signal })),
  });
}

/** When each occurrence of the task's notices goes out, and what became of it. */
export function useTaskPlan(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: taskKeys.plan(id),
    queryFn: ({ signal }) => unwrap(api.GET('/tasks/{id}/plan', { params: { path: { id } }, signal })),
  });
}

/** Every occurrence and channel with its state: the delivery log. */
export function useTaskDeliveries(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: taskKeys.deliveries(id),
    queryFn: ({ signal }) => unwrap(api.GET('/tasks/{id}/deliveries', { params: { path: { id } }, signal })),
  });
}

/**
 * After a change of the task: the answer is the task as saved; the register, the plan and the
 * delivery log are read again.
 */
function taskChanged(queryClient: QueryClient, task: Task) {
  queryClient.setQueryData(taskKeys.one(task.id), task);
  void queryClient.invalidateQueries({ queryKey: taskKeys.register });
  void queryClient.invalidateQueries({ queryKey: taskKeys.plan(task.id) });
  void queryClient.invalidateQueries({ queryKey: taskKeys.deliveries(task.id) });
}

/**
 * POST /tasks with the form's idempotency key: a create sent again after its answer was lost
 * (the connection dropped, the user pressed again) gets the task the first one made, not a twin.
 */
export function useCreateTask() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    ...SEND_NOW,
    mutationFn: ({ body, idempotencyKey }: { body: TaskCreate; idempotencyKey: string }) =>
      unwrap(api.POST('/tasks', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: (task) => taskChanged(queryClient, task),
  });
}

/** A merge patch of the task: only what it names changes (the notices another tab edits stay). */
export function usePatchTask(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    ...SEND_NOW,
    mutationFn: (body: TaskPatch) =>
      unwrap(
        api.PATCH('/tasks/{id}', {
          params: { path: { id } },
          body,
          headers: { 'content-type': 'application/merge-patch+json' },
          bodySerializer: (value) => JSON.stringify(value),
        }),
      ),
    onSuccess: (task) => taskChanged(queryClient, task),
  });
}

/** Complete or reopen: the status changes, and with it the plan. */
export function useTaskStatus(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    ...SEND_NOW,
    mutationFn: (action: 'complete' | 'reopen') =>
      unwrap(
        action === 'complete' ? api.POST('/tasks/{id}/complete', { params: { path: { id } } }) : api.POST('/tasks/{id}/reopen', { params: { path: { id } } }),
      ),
    onSuccess: (task) => taskChanged(queryClient, task),
  });
}

export function useDeleteTask(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    ...SEND_NOW,
    mutationFn: () => unwrap(api.DELETE('/tasks/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: taskKeys.one(id) });
      void queryClient.invalidateQueries({ queryKey: taskKeys.register });
    },
  });
}
