import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap, useApi } from '@/lib/api';
import { customerQueryKey } from './get-customer';

export const LIST_PAGE_SIZE = 25;

/** One page of the firm's customers by name (GET /customers), narrowed to names starting with `prefix`. */
export function useCustomerList(prefix: string, cursor: string | undefined) {
  const api = useApi();
  const queryClient = useQueryClient();
  const namePrefix = prefix.trim();
  return useQuery({
    queryKey: ['customers', 'list', namePrefix, cursor ?? null],
    queryFn: async ({ signal }) => {
      const query = { limit: LIST_PAGE_SIZE, ...(namePrefix ? { namePrefix } : {}), ...(cursor ? { cursor } : {}) };
      const page = await unwrap(api.GET('/customers', { params: { query }, signal }));
      for (const customer of page.items) queryClient.setQueryData(customerQueryKey(customer.id), customer);
      return page;
    },
    placeholderData: keepPreviousData,
  });
}
