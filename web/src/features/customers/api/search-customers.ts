import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap, useApi } from '@/lib/api';
import { customerQueryKey } from './get-customer';

const SEARCH_LIMIT = 20;

/** Customers whose name starts with `prefix` (the first 20, by name): what a picker offers while the user types. */
export function useCustomerSearch(prefix: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const namePrefix = prefix.trim();
  return useQuery({
    queryKey: ['customers', 'search', namePrefix],
    queryFn: async ({ signal }) => {
      const page = await unwrap(api.GET('/customers', { params: { query: { limit: SEARCH_LIMIT, ...(namePrefix ? { namePrefix } : {}) } }, signal }));
      // What the search brought is as good as a read of each customer.
      for (const customer of page.items) queryClient.setQueryData(customerQueryKey(customer.id), customer);
      return page.items;
    },
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}
