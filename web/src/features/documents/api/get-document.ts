import { useQuery } from '@tanstack/react-query';
import type { Email } from 'postal-mime';
import { unwrap, useApi, type components } from '@/lib/api';
import { parseEmail } from '../utils/parse-email';

export type SmsDocument = components['schemas']['SmsDocument'];

export type SentCopy = { kind: 'email'; raw: Blob; email: Email } | { kind: 'sms'; sms: SmsDocument };

/**
 * One sent copy (GET /documents/{id}): the exact .eml as sent, parsed in the browser, or the
 * SMS record. Copies never change, so one read is enough.
 */
export function useSentCopy(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['documents', 'one', id],
    queryFn: async ({ signal }): Promise<SentCopy> => {
      const raw = await unwrap(api.GET('/documents/{id}', { params: { path: { id } }, parseAs: 'blob', signal }));
      if (raw.type.startsWith('application/json')) return { kind: 'sms', sms: JSON.parse(await raw.text()) as SmsDocument };
      return { kind: 'email', raw, email: await parseEmail(raw) };
    },
    staleTime: Infinity,
  });
}
