import type { SmsGateway, SmsMessage } from '../ports.ts';
import { classifySmsFailure, toDeliveryError, type SmsFailure } from './provider-errors.ts';

/**
 * Two SMS providers behind one port. Each send is one POST, never repeated here: a retry is
 * dispatch's, which learns from the DeliveryError whether the gateway may have the SMS.
 * provider-errors.ts classifies every failure for both.
 */

/** A generic JSON-over-HTTPS gateway: `POST {base}/messages`, Basic auth, `{ from, to, text, reference }`. */
export class GenericHttpSmsGateway implements SmsGateway {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async send(message: SmsMessage): Promise<{ providerId: string }> {
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Basic ${Buffer.from(`${message.account.username}:${message.account.password}`).toString('base64')}`,
    };
    const response = await post(
      `${this.baseUrl.replace(/\/$/, '')}/messages`,
      headers,
      {
        from: message.from,
        to: message.to,
        text: message.text,
        reference: message.reference,
      },
      this.timeoutMs,
    );
    // A 2xx means the gateway took the SMS; its id is nice to have, so a body lost after
    // the status does not make the send fail.
    const body = (await response.json().catch(() => ({}))) as { id?: unknown };
    return { providerId: providerIdOf(body.id) };
  }
}

/**
 * Sveve (sveve.no): `POST {base}/SMS/SendMessage` with a JSON body (so the password stays out
 * of URLs and logs) and `f=json`. Sveve answers 200 even for refusals and says so in
 * `response.fatalError` or `response.errors`, so only the body tells whether it took the SMS.
 */
export class SveveSmsGateway implements SmsGateway {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async send(message: SmsMessage): Promise<{ providerId: string }> {
    const response = await post(
      `${this.baseUrl.replace(/\/$/, '')}/SMS/SendMessage`,
      { 'content-type': 'application/json' },
      {
        user: message.account.username,
        passwd: message.account.password,
        to: message.to,
        msg: message.text,
        from: message.from,
        f: 'json',
        // At most 36 characters (Sveve's limit): smsReference() makes 26.
        ref: message.reference,
      },
      this.timeoutMs,
    );
    let result: { msgOkCount?: number; ids?: unknown[]; fatalError?: string; errors?: { message?: string }[] } | undefined;
    try {
      result = ((await response.json()) as { response?: typeof result }).response;
    } catch (error) {
      throw failed({ kind: 'unreadable', status: response.status, error });
    }
    if (!result) throw failed({ kind: 'unreadable', status: response.status, error: new Error('no `response` in the answer') });
    if (result.fatalError || (result.errors?.length ?? 0) > 0 || !result.msgOkCount) {
      throw failed({ kind: 'refused', text: result.fatalError ?? result.errors?.[0]?.message ?? 'no message accepted' });
    }
    return { providerId: providerIdOf(result.ids?.[0]) };
  }
}

/** The gateway's id of a message, if it sent one we can read (a string or a number). */
function providerIdOf(id: unknown): string {
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

/** One POST; resolves only with a 2xx answer. */
async function post(url: string, headers: Record<string, string>, body: unknown, timeoutMs: number): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw failed({ kind: 'no-answer', error });
  }
  if (!response.ok) {
    const retryAfterMs = retryAfterOf(response.headers.get('retry-after'), Date.now());
    throw failed({ kind: 'status', status: response.status, text: await errorText(response), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  return response;
}

/**
 * `Retry-After` (RFC 9110, 10.2.3): seconds, or an HTTP date; how long from `now` the gateway
 * asked to be left alone. Anything else, or a date past, says nothing.
 */
export function retryAfterOf(header: string | null, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d{1,9}$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) || at <= now ? undefined : at - now;
}

/** The gateway's own words for a refusal: `{ "error": ... }` when it sends JSON, else the text. */
async function errorText(response: Response): Promise<string | undefined> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const words = parsed.error ?? parsed.message;
    if (typeof words === 'string') return words;
  } catch {
    // Not JSON: the text itself.
  }
  return text || undefined;
}

function failed(failure: SmsFailure) {
  return toDeliveryError(classifySmsFailure(failure));
}
