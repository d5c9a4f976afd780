import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap, useApi, type components } from '@/lib/api';
import { customerQueryKey, type Customer } from './get-customer';

export type CustomerCreateBody = components['schemas']['CustomerCreate'];
export type CustomerPatchBody = components['schemas']['CustomerPatch'];

function useStoreSaved() {
  const queryClient = useQueryClient();
  return (customer: Customer) => {
    queryClient.setQueryData(customerQueryKey(customer.id), customer);
    void queryClient.invalidateQueries({ queryKey: ['customers', 'list'] });
    void queryClient.invalidateQueries({ queryKey: ['customers', 'search'] });
  };
}

/** POST /customers, with an idempotency key per form so a retried create makes one customer. */
export function useCreateCustomer() {
  const api = useApi();
  const stored = useStoreSaved();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CustomerCreateBody; idempotencyKey: string }) =>
      unwrap(api.POST('/customers', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: stored,
    // Offline, the save fails at once and says so, rather than waiting unseen for the network.
    networkMode: 'always',
  });
}

/** PATCH /customers/{id}: a merge patch of what changed, with the version read (409 when stale). */
export function usePatchCustomer(id: string) {
  const api = useApi();
  const stored = useStoreSaved();
  return useMutation({
    mutationFn: (body: CustomerPatchBody) =>
      unwrap(
        api.PATCH('/customers/{id}', {
          params: { path: { id } },
          body,
          headers: { 'content-type': 'application/merge-patch+json' },
          bodySerializer: (value) => JSON.stringify(value),
        }),
      ),
    onSuccess: stored,
    // Offline, the save fails at once and says so, rather than waiting unseen for the network.
    networkMode: 'always',
  });
}

/** DELETE /customers/{id}; refused with 409 while the customer has tasks. */
export function useDeleteCustomer(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/customers/{id}', { params: { path: { id } } })),
    networkMode: 'always',
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: customerQueryKey(id) });
      void queryClient.invalidateQueries({ queryKey: ['customers', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['customers', 'search'] });
    },
  });
}
