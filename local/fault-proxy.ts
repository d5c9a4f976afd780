import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FaultQueue } from './fault-queue.ts';
import { close, listen, LOOPBACK } from './listen.ts';

type Fault = { kind: 'error'; status: number; errorType: string; message: string } | { kind: 'lose-response' } | { kind: 'delay'; ms: number };

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string | Buffer;
}

/**
 * A loopback HTTP proxy in front of an AWS stand-in that makes the next requests fail the
 * ways calls to AWS fail, so tests see what the real SDK client makes of each. Without
 * injected faults it is transparent. `requests` counts what reached it, so a test can tell
 * whether a client retried.
 */
export class FaultProxy {
  /** Requests received since start or the last clear(), faulted ones included. */
  requests = 0;
  /** Requests refused by `throttleAbove`. */
  throttled = 0;
  private readonly faults = new FaultQueue<Fault>();
  private server?: Server;
  private rateLimit?: { perSecond: number; applies: (method: string, path: string) => boolean; refusal: Omit<Fault & { kind: 'error' }, 'kind'> };
  private window = { second: 0, count: 0 };

  constructor(private readonly target: string) {}

  /**
   * The next `times` requests are answered by the proxy with an AWS error (status,
   * `x-amzn-errortype`, `{"message": ...}`) and never reach the stand-in: AWS refusing the
   * call, e.g. SES throttling with 400 ThrottlingException or 429 TooManyRequestsException.
   */
  failNext(status: number, errorType: string, times = 1, message = `injected ${errorType}`): void {
    this.faults.add({ kind: 'error', status, errorType, message }, times);
  }

  /**
   * The next `times` requests reach the stand-in, which carries them out in full, and then
   * the client's connection is cut without an answer: AWS did the work (SES accepted the
   * e-mail and delivers it) but the response was lost on the way, as when a NAT gateway or
   * load balancer resets the connection. The SDK sees `socket hang up` (ECONNRESET).
   */
  loseResponseNext(times = 1): void {
    this.faults.add({ kind: 'lose-response' }, times);
  }

  /**
   * The next `times` requests reach the stand-in and its answer is held back for `ms`: AWS
   * answering later than the client's request timeout. A client that gave up has still had
   * its request carried out.
   */
  delayNext(ms: number, times = 1): void {
    this.faults.add({ kind: 'delay', ms }, times);
  }

  /**
   * From now on, requests that `applies` to are taken `perSecond` a second of real time (a
   * window per calendar second) and the rest of that second are refused with `refusal`, as a
   * service's rate quota does: SES v2 answers a send over the account's maximum sending rate with
   * 429 `TooManyRequestsException`, "Maximum sending rate exceeded." (ses-send-rate.ts).
   * Undefined lifts the limit.
   */
  throttleAbove(
    perSecond: number | undefined,
    applies: (method: string, path: string) => boolean,
    refusal: { status: number; errorType: string; message: string },
  ): void {
    this.rateLimit = perSecond === undefined ? undefined : { perSecond, applies, refusal };
    this.window = { second: 0, count: 0 };
  }

  /** Drops the faults not yet used and resets the count: requests pass through again. */
  clear(): void {
    this.faults.clear();
    this.requests = 0;
  }

  async start(): Promise<string> {
    this.server = createServer((incoming, outgoing) => {
      this.requests += 1;
      const fault = this.overRate(incoming) ?? this.faults.take();
      if (fault?.kind === 'error') {
        incoming.resume();
        return answer(outgoing, {
          status: fault.status,
          headers: { 'content-type': 'application/json', 'x-amzn-errortype': fault.errorType },
          body: JSON.stringify({ message: fault.message }),
        });
      }
      this.forward(incoming).then(
        (upstream) => {
          if (fault?.kind === 'lose-response') incoming.socket.destroy();
          else if (fault?.kind === 'delay') setTimeout(() => answer(outgoing, upstream), fault.ms).unref();
          else answer(outgoing, upstream);
        },
        () => answer(outgoing, { status: 502, headers: {}, body: '' }),
      );
    });
    return `http://${LOOPBACK}:${await listen(this.server, 0)}`;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }

  /** The refusal of a request over `throttleAbove`'s rate, if it is one. */
  private overRate(incoming: IncomingMessage): Fault | undefined {
    const limit = this.rateLimit;
    if (!limit || !limit.applies(incoming.method ?? '', incoming.url ?? '')) return undefined;
    const second = Math.floor(Date.now() / 1000);
    this.window = { second, count: this.window.second === second ? this.window.count + 1 : 1 };
    if (this.window.count <= limit.perSecond) return undefined;
    this.throttled += 1;
    return { kind: 'error', ...limit.refusal };
  }

  /** The stand-in's whole answer: a fault decides afterwards whether the client gets it. */
  private forward(incoming: IncomingMessage): Promise<Answer> {
    const target = new URL(this.target);
    return new Promise((resolve, reject) => {
      const upstream = request(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }));
          response.on('error', reject);
        },
      );
      upstream.on('error', reject);
      incoming.pipe(upstream);
    });
  }
}

/** Writes an answer unless the client has gone (it gave up, or the proxy stopped). */
function answer(outgoing: ServerResponse, { status, headers, body }: Answer): void {
  if (outgoing.destroyed) return;
  outgoing.writeHead(status, headers);
  outgoing.end(body);
}
