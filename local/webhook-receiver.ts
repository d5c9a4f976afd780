import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { close, listen, LOOPBACK } from './listen.ts';

/** One request the receiver got, as it got it: the raw body is what a signature covers. */
export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What it answered. */
  status: number;
}

/** What to answer a request: a status and headers (a test makes it fail, or redirect). */
export type WebhookReply = (request: Omit<ReceivedWebhook, 'status'>, index: number) => { status: number; headers?: Record<string, string> };

/** Bodies past this are cut off (Frist's events are a few hundred bytes). */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * A firm's system standing in for the real one, on loopback: `npm start` runs it and allows
 * webhooks to call it (`WEBHOOK_LOCAL_RECEIVER`, the one exception to "HTTPS to a public
 * address"), so a webhook can be tried out locally; the tests make it fail, redirect, and
 * check the signatures of what it got. It keeps what it received in `received` and answers
 * 204 unless told otherwise.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server: Server | undefined;
  private reply: WebhookReply = () => ({ status: 204 });

  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      request.on('end', () => {
        const got = { path: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
        const { status, headers } = this.reply(got, this.received.length);
        this.received.push({ ...got, status });
        response.writeHead(status, headers).end();
      });
    });
    return `http://${LOOPBACK}:${await listen(this.server, port)}`;
  }

  /** How to answer from now on. */
  answer(reply: WebhookReply): void {
    this.reply = reply;
  }

  clear(): void {
    this.received.length = 0;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }
}
