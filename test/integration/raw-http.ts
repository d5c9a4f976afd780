import { connect } from 'node:net';
import { LOOPBACK } from '../../local/listen.ts';

/**
 * One HTTP/1.1 request written byte for byte on a socket to the local API at `apiUrl`: the
 * headers as given, in order, repeats kept (fetch would add headers of its own and merge
 * repeats), then the body's length when there is a body. The answer's status and whole text.
 */
export async function rawRequest(
  apiUrl: string,
  method: string,
  path: string,
  headers: [string, string][],
  body = '',
): Promise<{ status: number; text: string }> {
  const { port } = new URL(apiUrl);
  const all = [...headers, ...(body ? [['content-length', String(Buffer.byteLength(body))]] : [])];
  const socket = connect(Number(port), LOOPBACK);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('close', () => resolve());
    socket.write([`${method} ${path} HTTP/1.1`, ...all.map(([name, value]) => `${name}: ${value}`), '', body].join('\r\n'));
  });
  const text = Buffer.concat(chunks).toString('utf8');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]), text };
}

/** The headers every raw request needs: the API's host, and the connection closed after the answer (the socket's end is the answer's). */
export function hostAndClose(apiUrl: string): [string, string][] {
  return [
    ['host', `${LOOPBACK}:${new URL(apiUrl).port}`],
    ['connection', 'close'],
  ];
}
