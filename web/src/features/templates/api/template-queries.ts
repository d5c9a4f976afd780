import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap, useApi, type components } from '@/lib/api';

export type Template = components['schemas']['Template'];
export type TemplateCreate = components['schemas']['TemplateCreate'];
export type NoticeInput = components['schemas']['NoticeInput'];

/** A change is tried even offline, so a lost connection is said rather than waited for unseen. */
const SEND_NOW = { networkMode: 'always' } as const;

/** Templates listed per page; the new-task form offers the first page of them. */
export const TEMPLATE_PAGE_SIZE = 100;

export const templateKeys = {
  all: ['templates'] as const,
  list: (cursor: string | undefined) => ['templates', 'list', cursor ?? null] as const,
  one: (id: string) => ['templates', 'one', id] as const,
};

/** The firm's templates by name, one page. */
export function useTemplates(cursor?: string) {
  const api = useApi();
  return useQuery({
    queryKey: templateKeys.list(cursor),
    queryFn: ({ signal }) => unwrap(api.GET('/templates', { params: { query: { limit: TEMPLATE_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useTemplate(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: templateKeys.one(id),
    queryFn: ({ signal }) => unwrap(api.GET('/templates/{id}', { params: { path: { id } }, signal })),
  });
}

/** POST /templates with the form's idempotency key: a create sent again after a lost answer gets the first one's template. */
export function useCreateTemplate() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    ...SEND_NOW,
    mutationFn: ({ body, idempotencyKey }: { body: TemplateCreate; idempotencyKey: string }) =>
      unwrap(api.POST('/templates', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: (template) => {
      queryClient.setQueryData(templateKeys.one(template.id), template);
      void queryClient.invalidateQueries({ queryKey: templateKeys.all });
    },
  });
}

/** A merge patch of the template (its name, or its whole list of notices) with the version read: 409 when stale. */
export function usePatchTemplate(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    ...SEND_NOW,
    mutationFn: (body: { version: number; name?: string; notices?: NoticeInput[] }) =>
      unwrap(
        api.PATCH('/templates/{id}', {
          params: { path: { id } },
          body,
          headers: { 'content-type': 'application/merge-patch+json' },
          bodySerializer: (value) => JSON.stringify(value),
        }),
      ),
    onSuccess: (template) => {
      queryClient.setQueryData(templateKeys.one(id), template);
      void queryClient.invalidateQueries({ queryKey: ['templates', 'list'] });
    },
  });
}

/** The template as stored now (after a 409: the user reloads, then makes the change again). */
export function useReloadTemplate(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    ...SEND_NOW,
    mutationFn: () => unwrap(api.GET('/templates/{id}', { params: { path: { id } } })),
    onSuccess: (template) => queryClient.setQueryData(templateKeys.one(id), template),
  });
}

export function useDeleteTemplate(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    ...SEND_NOW,
    mutationFn: () => unwrap(api.DELETE('/templates/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: templateKeys.one(id) });
      void queryClient.invalidateQueries({ queryKey: ['templates', 'list'] });
    },
  });
}
