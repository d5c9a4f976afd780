import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Archive } from '../ports.ts';
import { busyIfRetryable } from './aws-errors.ts';

const BUSY = 'the document store is busy; retry shortly';

/**
 * The document center's bucket: one object per sent notice. A failure a retry may cure
 * (S3's SlowDown, a 5xx, no answer) is DependencyUnavailableError: 503 with Retry-After to a
 * reader of the document center, not a bare 500.
 */
export class S3Archive implements Archive {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    await busyIfRetryable(this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType })), BUSY);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const result = await busyIfRetryable(this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })), BUSY);
      return Buffer.from(await busyIfRetryable(result.Body!.transformToByteArray(), BUSY));
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}
