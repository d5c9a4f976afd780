import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap, useApi, type components } from '@/lib/api';

export type Webhook = components['schemas']['Webhook'];
export type WebhookCreate = components['schemas']['WebhookCreate'];
export type WebhookEventType = WebhookCreate['eventTypes'][number];

export const WEBHOOK_EVENT_TYPES: WebhookEventType[] = [
  'notice.sent',
  'notice.failed',
  'notice.skipped',
  'notice.delivered',
  'customer.opted_out',
  'job.finished',
];

const webhooksQueryKey = ['webhooks'] as const;

/** The firm's webhook endpoints (GET /webhooks). */
export function useWebhooks() {
  const api = useApi();
  return useQuery({ queryKey: webhooksQueryKey, queryFn: ({ signal }) => unwrap(api.GET('/webhooks', { signal })) });
}

/** Registers an endpoint; the answer carries its secret, which only this answer shows. */
export function useCreateWebhook() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    networkMode: 'always',
    mutationFn: (body: WebhookCreate) => unwrap(api.POST('/webhooks', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhooksQueryKey }),
  });
}

/** Turns an endpoint on or off (a merge patch with the version read). */
export function useSetWebhookEnabled() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    networkMode: 'always',
    mutationFn: ({ id, enabled, version }: { id: string; enabled: boolean; version: number }) =>
      unwrap(
        api.PATCH('/webhooks/{id}', { params: { path: { id } }, body: { enabled, version }, headers: { 'content-type': 'application/merge-patch+json' } }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhooksQueryKey }),
  });
}

export function useDeleteWebhook() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    networkMode: 'always',
    mutationFn: (id: string) => unwrap(api.DELETE('/webhooks/{id}', { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhooksQueryKey }),
  });
}

/** Queues a `webhook.ping` to the endpoint. */
export function usePingWebhook() {
  const api = useApi();
  return useMutation({
    networkMode: 'always',
    mutationFn: (id: string) => unwrap(api.POST('/webhooks/{id}/test', { params: { path: { id } } })),
  });
}
