import type { LookupAddress } from 'node:dns';
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type { LookupFunction } from 'node:net';
import { isForbiddenAddress } from '../domain/webhook-addresses.ts';
import type { WebhookRequest, WebhookResponse, WebhookSender } from '../webhook-ports.ts';

/** Every address a host name resolves to (A and AAAA). */
export type Resolve = (host: string) => Promise<LookupAddress[]>;

/**
 * node:http, node:https, node:dns and node:net as CommonJS modules, taken when a call starts.
 * An ESM import of a built-in module makes Node 24 read every export of it for the module's
 * facade: for node:http one of them loads Node's fetch implementation (undici, about 10 ms),
 * and node:dns is loaded by nothing else at import. A cold start of every function that
 * builds this sender (api, ses-events, webhooks, dispatch) paid them, though only the
 * webhooks function calls out.
 */
const requestOf = (protocol: string) => (protocol === 'https:' ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http')).request;
const isIP = (host: string) => process.getBuiltinModule('node:net').isIP(host);

const resolveAll: Resolve = (host) =>
  new Promise((resolve, reject) =>
    process.getBuiltinModule('node:dns').lookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

export interface SenderOptions {
  timeoutMs: number;
  /**
   * Local only (`WEBHOOK_LOCAL_RECEIVER`, never set by the CDK stack): the one origin
   * (`http://127.0.0.1:<port>`) that may be called over plain HTTP on loopback, the fake
   * receiver `npm start` runs. Every other URL must be HTTPS to a public address.
   */
  localReceiverOrigin?: string;
  resolve?: Resolve;
}

type Target = { address: string; family: number } | { refused: 'address-refused' | 'host-unknown' | 'not-https' };

/**
 * Calls a firm's webhook endpoint, and refuses to reach what it must not (SSRF):
 * 1. HTTPS only (but the local receiver's origin);
 * 2. the host resolved here, every address it has checked (shared/domain/webhook-addresses.ts):
 *    one forbidden address refuses the host, so a name cannot mix a public and a private one;
 * 3. the connection made to the address checked, through a `lookup` that returns it, so DNS
 *    is not asked again between the check and the connect (no rebinding); TLS still checks
 *    the certificate against the host name (SNI and verification use `servername`);
 * 4. a redirect is never followed: a 3xx is a failed attempt;
 * 5. one deadline for the whole call (name lookup, connect, TLS, headers): a lookup that has
 *    not answered by then counts as a host that does not resolve (a firm's dead DNS server
 *    must not hold the function past its timeout, which would bring back the other firms'
 *    messages of the batch), the socket is destroyed at it, and the answer's body is never
 *    read, so a slow or endless body holds nothing.
 */
export class SafeWebhookSender implements WebhookSender {
  private readonly resolve: Resolve;

  constructor(private readonly options: SenderOptions) {
    this.resolve = options.resolve ?? resolveAll;
  }

  async refusal(url: string): Promise<'address-refused' | 'host-unknown' | 'not-https' | undefined> {
    const target = await this.target(new URL(url), Date.now() + this.options.timeoutMs);
    return 'refused' in target ? target.refused : undefined;
  }

  async post(request: WebhookRequest): Promise<WebhookResponse> {
    const url = new URL(request.url);
    const deadline = Date.now() + this.options.timeoutMs;
    const target = await this.target(url, deadline);
    if ('refused' in target) return { delivered: false, error: target.refused === 'host-unknown' ? 'host-unknown' : 'address-refused' };
    return this.call(url, target, request, deadline);
  }

  private isLocalReceiver(url: URL): boolean {
    return this.options.localReceiverOrigin !== undefined && url.origin === this.options.localReceiverOrigin;
  }

  private async target(url: URL, deadline: number): Promise<Target> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (this.isLocalReceiver(url)) return { address: host, family: isIP(host) || 4 };
    if (url.protocol !== 'https:') return { refused: 'not-https' };
    if (isIP(host)) return isForbiddenAddress(host) ? { refused: 'address-refused' } : { address: host, family: isIP(host) };
    let addresses: LookupAddress[];
    try {
      addresses = await beforeDeadline(this.resolve(host), deadline);
    } catch {
      return { refused: 'host-unknown' };
    }
    if (addresses.length === 0) return { refused: 'host-unknown' };
    if (addresses.some((a) => isForbiddenAddress(a.address))) return { refused: 'address-refused' };
    return addresses[0]!;
  }

  private call(url: URL, target: { address: string; family: number }, request: WebhookRequest, deadline: number): Promise<WebhookResponse> {
    const started = requestOf(url.protocol);
    // The connection goes to the checked address, whatever DNS would answer now.
    const pinned: LookupFunction = (_host, options, callback) => {
      if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [target]);
      else callback(null, target.address, target.family);
    };
    const options: RequestOptions & { servername?: string } = {
      method: 'POST',
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body).toString() },
      lookup: pinned,
      agent: false,
      ...(url.protocol === 'https:' && !isIP(url.hostname) ? { servername: url.hostname } : {}),
    };
    return new Promise((resolve) => {
      let settled = false;
      const finish = (response: WebhookResponse, req: ClientRequest) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        resolve(response);
      };
      const req = started(options, (res: IncomingMessage) => finish(responseOf(res.statusCode ?? 0), req));
      const timer = setTimeout(() => finish({ delivered: false, error: 'timeout' }, req), Math.max(deadline - Date.now(), 0));
      req.on('error', () => finish({ delivered: false, error: 'connection-failed' }, req));
      req.end(request.body);
    });
  }
}

/** The lookup's answer, or a rejection once `deadline` (epoch ms) has passed. */
function beforeDeadline<T>(lookup: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('lookup timed out')), Math.max(deadline - Date.now(), 0))));
  return Promise.race([lookup, late]).finally(() => clearTimeout(timer));
}

function responseOf(status: number): WebhookResponse {
  if (status >= 200 && status < 300) return { delivered: true, status };
  if (status >= 300 && status < 400) return { delivered: false, error: 'redirect', status };
  return { delivered: false, error: 'http-status', status };
}
