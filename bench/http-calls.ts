import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/**
 * Counts outgoing HTTP requests per destination port, from Node's own diagnostics channel:
 * every AWS SDK call and SMS request is one, whatever code made it.
 */
export class HttpCallCounter {
  private readonly counts = new Map<string, number>();
  private readonly listener = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    const port = String(request.getHeader('host') ?? '').split(':')[1] ?? '';
    this.counts.set(port, (this.counts.get(port) ?? 0) + 1);
  };

  start(): void {
    diagnostics.subscribe('http.client.request.start', this.listener);
  }

  stop(): void {
    diagnostics.unsubscribe('http.client.request.start', this.listener);
  }

  reset(): void {
    this.counts.clear();
  }

  /** Requests per named endpoint (`http://127.0.0.1:port` -> name). */
  byName(endpoints: Record<string, string>): Record<string, number> {
    return Object.fromEntries(Object.entries(endpoints).map(([name, url]) => [name, this.counts.get(new URL(url).port) ?? 0]));
  }
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
