import { DeliveryError } from '../errors.ts';
import type { SmsGateway, SmsMessage } from '../ports.ts';

/**
 * Two SMS providers behind one port. Both classify failures the same way: a timeout, a
 * network fault, 429 or 5xx is transient (dispatch throws, the Scheduler retries); any
 * other refusal (a 4xx, an invalid number, a rejected sender) is permanent.
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
    const response = await post(`${this.baseUrl.replace(/\/$/, '')}/messages`, headers, {
      from: message.from,
      to: message.to,
      text: message.text,
      reference: message.reference,
    }, this.timeoutMs);
    const body = (await response.json().catch(() => ({}))) as { id?: unknown; error?: unknown };
    if (!response.ok) throw refused(response.status, typeof body.error === 'string' ? body.error : undefined);
    return { providerId: String(body.id ?? '') };
  }
}

/**
 * Sveve (sveve.no): `POST {base}/SMS/SendMessage` with a JSON body (so the password stays out
 * of URLs and logs) and `f=json`. Sveve answers 200 even for refusals and says so in
 * `response.fatalError` or `response.errors`.
 */
export class SveveSmsGateway implements SmsGateway {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async send(message: SmsMessage): Promise<{ providerId: string }> {
    const response = await post(`${this.baseUrl.replace(/\/$/, '')}/SMS/SendMessage`, { 'content-type': 'application/json' }, {
      user: message.account.username,
      passwd: message.account.password,
      to: message.to,
      msg: message.text,
      from: message.from,
      f: 'json',
      ref: message.reference.slice(0, 36),
    }, this.timeoutMs);
    if (!response.ok) throw refused(response.status);
    const body = (await response.json().catch(() => ({}))) as {
      response?: { msgOkCount?: number; ids?: unknown[]; fatalError?: string; errors?: { message?: string }[] };
    };
    const result = body.response;
    if (!result || result.fatalError || (result.errors?.length ?? 0) > 0 || !result.msgOkCount) {
      throw new DeliveryError(`Sveve refused the SMS: ${result?.fatalError ?? result?.errors?.[0]?.message ?? 'no message accepted'}`, false);
    }
    return { providerId: String(result.ids?.[0] ?? '') };
  }
}

async function post(url: string, headers: Record<string, string>, body: unknown, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new DeliveryError(`the SMS gateway did not answer: ${(error as Error).name}`, true, { cause: error });
  }
}

function refused(status: number, detail?: string): DeliveryError {
  const transient = status === 429 || status >= 500;
  return new DeliveryError(`the SMS gateway answered ${status}${detail ? `: ${detail}` : ''}`, transient);
}
