import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { unwrap, useApi, type components } from '@/lib/api';

export type PreviewRequest = components['schemas']['PreviewRequest'];
export type Preview = components['schemas']['Preview'];

/** How long the text must rest before it is previewed: a request per pause, not per key. */
const PREVIEW_DELAY_MS = 400;

/**
 * The notice filled in for its task's customer (POST /notices/preview), following the text as
 * it is typed. `undefined` (a text the API would refuse) asks nothing; the last preview stays
 * on screen while the next one loads.
 */
export function useNoticePreview(request: PreviewRequest | undefined) {
  const api = useApi();
  // Debounce the request's JSON: the object is made anew on every render.
  const [body] = useDebouncedValue(request ? JSON.stringify(request) : '', PREVIEW_DELAY_MS);
  return useQuery({
    queryKey: ['notices', 'preview', body],
    queryFn: ({ signal }) => unwrap(api.POST('/notices/preview', { body: JSON.parse(body) as PreviewRequest, signal })),
    enabled: body !== '',
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: false,
  });
}
