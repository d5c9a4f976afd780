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
}

export class FakeSmsGateway {
  readonly sent: FakeSms[] = [];
  private readonly failures = new FaultQueue<Reply>();
  private readonly delays = new FaultQueue<number>();
  private server?: Server;

  /**
   * The next `times` requests are refused with `status` (429 and 5xx transient, other 4xx
   * permanent) and `{ "error": error }`; nothing is sent.
   */
  failNext(status: number, times = 1, error = `injected failure ${status}`): void {
    this.failures.add({ status, body: { error } }, times);
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

/** Answers unless the client has gone (it gave up, or the gateway stopped). */
function reply(response: ServerResponse, { status, body }: Reply): void {
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
