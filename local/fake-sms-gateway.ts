import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { close, listen, LOOPBACK, readJsonBody } from './listen.ts';

/**
 * A stand-in SMS provider on loopback that speaks both protocols Frist's adapters use:
 * the generic JSON gateway (`POST /messages`, Basic auth) and Sveve's
 * (`POST /SMS/SendMessage`, JSON body, `f=json`). What it accepts is kept in `sent`;
 * tests can make the next requests fail with `failNext`.
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

export class FakeSmsGateway {
  readonly sent: FakeSms[] = [];
  private failures: { status: number; remaining: number }[] = [];
  private server?: Server;

  /** The next `times` requests are answered with `status` (500 transient, 400 permanent). */
  failNext(status: number, times = 1): void {
    this.failures.push({ status, remaining: times });
  }

  clear(): void {
    this.sent.length = 0;
    this.failures = [];
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      this.serve(request, response).catch(() => reply(response, 500, { error: 'internal error' }));
    });
    return `http://${LOOPBACK}:${await listen(this.server, port)}`;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = (await readJsonBody(request)) as Record<string, string>;
    const failure = this.failures[0];
    if (failure) {
      failure.remaining -= 1;
      if (failure.remaining <= 0) this.failures.shift();
      return reply(response, failure.status, { error: `injected failure ${failure.status}` });
    }
    const id = randomUUID();
    const receivedAt = new Date().toISOString();
    if (request.method === 'POST' && request.url === '/messages') {
      const credentials = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!credentials) return reply(response, 401, { error: 'Basic auth required' });
      if (!body.to?.startsWith('+') || !body.text) return reply(response, 400, { error: 'invalid recipient or text' });
      const username = Buffer.from(credentials, 'base64').toString('utf8').split(':')[0];
      this.sent.push({ id, protocol: 'generic', username, from: body.from ?? '', to: body.to, text: body.text, reference: body.reference ?? '', receivedAt });
      return reply(response, 202, { id });
    }
    if (request.method === 'POST' && request.url === '/SMS/SendMessage') {
      if (!body.user || !body.passwd) return reply(response, 200, { response: { msgOkCount: 0, stdSMSCount: 0, fatalError: 'Feil brukernavn/passord' } });
      this.sent.push({ id, protocol: 'sveve', username: body.user, from: body.from ?? '', to: body.to ?? '', text: body.msg ?? '', reference: body.ref ?? '', receivedAt });
      return reply(response, 200, { response: { msgOkCount: 1, stdSMSCount: 1, ids: [id] } });
    }
    reply(response, 404, { error: 'no such route' });
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
