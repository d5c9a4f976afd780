import { createHash } from 'node:crypto';
import { ConflictError } from '../errors.ts';

/**
 * Retry-safe creates. A client that sends `Idempotency-Key` with a POST gets, for every retry
 * of that request, the item the first attempt created: the key fixes the new item's id, so a
 * retry's conditional write finds it instead of making a twin. The request's hash is kept
 * with the item, so a key reused for a different request is refused rather than answered
 * with the wrong item.
 */
export interface Idempotency {
  key: string;
  requestHash: string;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** The id the create with this key gets: stable per tenant, kind and key. */
export function idForKey(tenantId: string, kind: string, key: string): string {
  const digest = createHash('sha256').update(`${tenantId}\n${kind}\n${key}`).digest();
  return [...digest.subarray(0, 16)].map((byte) => ALPHABET[byte % 32]).join('');
}

/** The hash of a request's body: of its JSON, or of its bytes (an uploaded file). */
export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(body instanceof Uint8Array ? body : JSON.stringify(body))
    .digest('base64url');
}

/**
 * Runs `create`; when it loses to an existing item of the same id, that item is the answer
 * if it was made by the same request, else 409.
 */
export async function createOnce<T extends { idempotency?: Idempotency }>(
  idempotency: Idempotency | undefined,
  create: () => Promise<T>,
  existing: () => Promise<T | undefined>,
): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (!idempotency || !(error instanceof ConflictError)) throw error;
    const item = await existing();
    if (item?.idempotency?.requestHash === idempotency.requestHash) return item;
    throw new ConflictError(`Idempotency-Key ${idempotency.key} was used for a different request; use a new key for a new item`);
  }
}
