import * as sesLocalModule from 'aws-ses-v2-local';
import S3rver from 's3rver';
import type { Server } from 'node:http';

type SesServer = (config: { host: string; port: number }) => Promise<Server>;
import type { AddressInfo } from 'node:net';
import { close, LOOPBACK } from './listen.ts';

/** s3rver accepts exactly these credentials. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface LocalS3 {
  endpoint: string;
  stop(): Promise<void>;
}

/** s3rver on loopback with the document bucket; files live under `directory`. */
export async function startS3(options: { directory: string; bucket: string; port?: number }): Promise<LocalS3> {
  const server = new S3rver({
    address: LOOPBACK,
    port: options.port ?? 0,
    silent: true,
    directory: options.directory,
    configureBuckets: [{ name: options.bucket }],
  });
  const address = await server.run();
  return { endpoint: `http://${LOOPBACK}:${address.port}`, stop: () => server.close() };
}

export interface LocalSes {
  endpoint: string;
  stop(): Promise<void>;
}

/** aws-ses-v2-local, bound to loopback (it listens on every interface unless told). */
export async function startSes(port = 0): Promise<LocalSes> {
  // CommonJS with a default export: tsx and vitest hand it over differently.
  const mod = sesLocalModule as unknown as { default: SesServer | { default: SesServer } };
  const start = typeof mod.default === 'function' ? mod.default : mod.default.default;
  const server = await start({ host: LOOPBACK, port });
  const bound = (server.address() as AddressInfo).port;
  return { endpoint: `http://${LOOPBACK}:${bound}`, stop: () => close(server) };
}

export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo?: string[];
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/** What the SES stand-in received. */
export async function sesInbox(endpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(`${endpoint}/store`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}
