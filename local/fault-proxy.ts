import { createServer, request as forward, type Server } from 'node:http';
import { close, listen, LOOPBACK } from './listen.ts';

/**
 * A loopback HTTP proxy in front of an AWS stand-in that can answer the next requests with
 * an AWS-style error (status, `x-amzn-errortype`, `{"message": ...}`) instead of passing
 * them on: how the tests make SES throttle. Without injected faults it is transparent.
 */
export class FaultProxy {
  private faults: { status: number; errorType: string; remaining: number }[] = [];
  private server?: Server;

  constructor(private readonly target: string) {}

  failNext(status: number, errorType: string, times = 1): void {
    this.faults.push({ status, errorType, remaining: times });
  }

  /** Drops the faults not yet used: requests pass through again. */
  clear(): void {
    this.faults = [];
  }

  async start(): Promise<string> {
    const target = new URL(this.target);
    this.server = createServer((incoming, outgoing) => {
      const fault = this.faults[0];
      if (fault) {
        fault.remaining -= 1;
        if (fault.remaining <= 0) this.faults.shift();
        incoming.resume();
        outgoing.writeHead(fault.status, { 'content-type': 'application/json', 'x-amzn-errortype': fault.errorType });
        outgoing.end(JSON.stringify({ message: `injected ${fault.errorType}` }));
        return;
      }
      const upstream = forward(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      upstream.on('error', () => {
        outgoing.writeHead(502);
        outgoing.end();
      });
      incoming.pipe(upstream);
    });
    return `http://${LOOPBACK}:${await listen(this.server, 0)}`;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }
}
