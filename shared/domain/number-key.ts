import { createHash } from 'node:crypto';

/**
 * A mobile number (E.164) as table keys show it: a short hash (128 bits), so that no phone
 * number is in a key, and keys are logged. Not in phone.ts: the web app loads that one, and
 * has no node:crypto.
 */
export function numberKey(e164: string): string {
  return createHash('sha256').update(e164).digest('base64url').slice(0, 22);
}
