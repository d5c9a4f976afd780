import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultQueue } from './fault-queue.ts';
import { close, listen, LOOPBACK, readJsonBody } from './listen.ts';

/**
 * A stand-in SMS provider on loopback that speaks both protocols Frist's adapters use:
 * the generic JSON gateway (`POST /messages`, Basic auth) and Sveve's
 * (`POST /SMS/SendMessage`, JSON body, `f=json`). What it accepts is kept in `sent`;
 * tests can make the next requests fail with `failNext`, or answer late with `answerAfter`.
 *
 * It also calls back as the providers do, to the URLs an account has configured
 * (`configureCallbacks`): a delivery report of a sent SMS (`sendReceipt`) and a message a
 * customer sent (`pushInbound`). Sveve's report ("Leveringsrapport": `number`, `status`,
 * `id`, `ref`, `errorCode`, `errorDesc`) and its push of received messages (`number`,
 * `msg`, `prefix`, `shortnumber`) come by GET with query parameters or by POST with a form,
 * as the account is set up; `number` is digits with the country code, no `+`. The generic
 * gateway POSTs JSON (docs/api.md, "SMS gateway callbacks").
 */
export interface FakeSms {
  id: string;
  protocol: 'generic' | 'sveve';
  username?: string;
  from: string;
  to: string;
  text: string;
  reference: string;
  receivedAt: string;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** How an account's callbacks reach Frist: the URLs pasted into the provider, and Sveve's method. */
export interface CallbackConfig {
  receiptUrl?: string;
  inboundUrl?: string;
  method?: 'GET' | 'POST';
}

export interface ReceiptOptions {
  delivered: boolean;
  errorCode?: string;
  errorText?: string;
}

export class FakeSmsGateway {
  readonly sent: FakeSms[] = [];
  /** Send requests received, refused ones included: a test can count how often a gateway was called. */
  requests = 0;
  private readonly failures = new FaultQueue<Reply>();
  private readonly delays = new FaultQueue<number>();
  private readonly callbacks = new Map<string, CallbackConfig>();
  private server?: Server;

  /** Where the account `username` sends its delivery reports and received messages. */
  configureCallbacks(username: string, config: CallbackConfig): void {
    this.callbacks.set(username, config);
  }

  /** Reports the delivery of `sms` to its account's receipt URL, in its protocol; resolves with Frist's HTTP status. */
  async sendReceipt(sms: FakeSms, options: ReceiptOptions): Promise<number> {
    const config = this.callbacksOf(sms.username);
    if (!config.receiptUrl) throw new Error(`account ${sms.username} has no receipt URL`);
    if (sms.protocol === 'generic') {
      return postJson(config.receiptUrl, {
        reference: sms.reference,
        id: sms.id,
        status: options.delivered ? 'delivered' : 'undelivered',
        ...(options.errorCode ? { errorCode: options.errorCode } : {}),
        ...(options.errorText ? { error: options.errorText } : {}),
      });
    }
    const fields = {
      number: sms.to.replace(/^\+/, ''),
      status: String(options.delivered),
      id: sms.id,
      ref: sms.reference,
      errorCode: options.errorCode ?? '',
      errorDesc: options.errorText ?? '',
    };
    return sveveCall(config.receiptUrl, config.method ?? 'GET', fields);
  }

  /** A customer's SMS to the account, pushed to its inbound URL in `protocol`; resolves with Frist's HTTP status. */
  async pushInbound(username: string, protocol: 'generic' | 'sveve', message: { from: string; text: string; prefix?: string }): Promise<number> {
    const config = this.callbacksOf(username);
    if (!config.inboundUrl) throw new Error(`account ${username} has no inbound URL`);
    if (protocol === 'generic') return postJson(config.inboundUrl, { from: message.from, text: message.text });
    const prefix = message.prefix ?? '';
    const fields = {
      number: message.from.replace(/^\+/, ''),
      msg: prefix ? `${prefix} ${message.text}` : message.text,
      prefix,
      shortnumber: '2229',
    };
    return sveveCall(config.inboundUrl, config.method ?? 'POST', fields);
  }

  private callbacksOf(username: string | undefined): CallbackConfig {
    return this.callbacks.get(username ?? '') ?? {};
  }

  /**
   * The next `times` requests are refused with `status` (429 and 5xx transient, other 4xx
   * permanent) and `{ "error": error }`; nothing is sent. `headers` go with the refusal (a 429's
   * `Retry-After`).
   */
  failNext(status: number, times = 1, error = `injected failure ${status}`, headers?: Record<string, string>): void {
    this.failures.add({ status, body: { error }, ...(headers ? { headers } : {}) }, times);
  }

  /**
   * The next `times` requests are handled at once (an SMS taken is in `sent`) and answered
   * only after `ms`: a gateway slower than Frist's timeout, which has sent the SMS although
   * Frist never hears so.
   */
  answerAfter(ms: number, times = 1): void {
    this.delays.add(ms, times);
  }

  clear(): void {
    this.sent.length = 0;
    this.failures.clear();
    this.delays.clear();
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      this.serve(request)
        .then(async (answer) => {
          const delay = this.delays.take();
          if (delay !== undefined) await sleep(delay, undefined, { ref: false });
          reply(response, answer);
        })
        .catch(() => reply(response, { status: 500, body: { error: 'internal error' } }));
    });
    return `http://${LOOPBACK}:${await listen(this.server, port)}`;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }

  private async serve(request: IncomingMessage): Promise<Reply> {
    const body = (await readJsonBody(request)) as Record<string, string>;
    this.requests += 1;
    const failure = this.failures.take();
    if (failure) return failure;
    const id = randomUUID();
    const receivedAt = new Date().toISOString();
    if (request.method === 'POST' && request.url === '/messages') {
      const credentials = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!credentials) return { status: 401, body: { error: 'Basic auth required' } };
      if (!body.to?.startsWith('+') || !body.text) return { status: 400, body: { error: 'invalid recipient or text' } };
      const username = Buffer.from(credentials, 'base64').toString('utf8').split(':')[0];
      this.sent.push({ id, protocol: 'generic', username, from: body.from ?? '', to: body.to, text: body.text, reference: body.reference ?? '', receivedAt });
      return { status: 202, body: { id } };
    }
    if (request.method === 'POST' && request.url === '/SMS/SendMessage') {
      if (!body.user || !body.passwd) return { status: 200, body: { response: { msgOkCount: 0, stdSMSCount: 0, fatalError: 'Feil brukernavn/passord' } } };
      this.sent.push({
        id,
        protocol: 'sveve',
        username: body.user,
        from: body.from ?? '',
        to: body.to ?? '',
        text: body.msg ?? '',
        reference: body.ref ?? '',
        receivedAt,
      });
      return { status: 200, body: { response: { msgOkCount: 1, stdSMSCount: 1, ids: [id] } } };
    }
    return { status: 404, body: { error: 'no such route' } };
  }
}

async function postJson(url: string, body: unknown): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
}

/** Sveve's callbacks: GET with query parameters, or POST with the same as a form. */
async function sveveCall(url: string, method: 'GET' | 'POST', fields: Record<string, string>): Promise<number> {
  const params = new URLSearchParams(fields);
  const response =
    method === 'GET'
      ? await fetch(`${url}?${params.toString()}`)
      : await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params.toString() });
  await response.arrayBuffer();
  return response.status;
}

/** Answers unless the client has gone (it gave up, or the gateway stopped). */
function reply(response: ServerResponse, { status, body, headers }: Reply): void {
  if (response.destroyed) return;
  response.writeHead(status, { ...headers, 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
