import { useQuery } from '@tanstack/react-query';
import { unwrap, useApi, type components } from '@/lib/api';

export type Customer = components['schemas']['Customer'];

export const customerQueryKey = (id: string) => ['customers', 'one', id] as const;

/**
 * One customer. The task register asks for the customers of the rows on screen (at most a
 * page), not for every customer of the firm; names change rarely, so they stay fresh a while.
 */
export function useCustomer(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: customerQueryKey(id ?? ''),
    queryFn: ({ signal }) => unwrap(api.GET('/customers/{id}', { params: { path: { id: id! } }, signal })),
    enabled: Boolean(id),
    staleTime: 5 * 60_000,
  });
}
