import { useQuery } from '@tanstack/react-query';
import { unwrap, useApi, type components } from '@/lib/api';

export type MergeCode = components['schemas']['MergeCodeList']['items'][number];

/** The merge-code catalogue (GET /merge-codes): the same for every firm, read once. */
export function useMergeCodes() {
  const api = useApi();
  return useQuery({
    queryKey: ['merge-codes'],
    queryFn: ({ signal }) => unwrap(api.GET('/merge-codes', { signal })),
    staleTime: Infinity,
  });
}
