import { createHash } from 'node:crypto';

/**
 * The reference an SMS goes out with, which the provider echoes in its delivery receipt:
 * 26 characters of base32 (130 bits of SHA-256 of the delivery id), within Sveve's 36, the
 * same for every attempt at one delivery, and unique per delivery for any practical count.
 * The store keeps a lookup item from it to the delivery (`SMSREF#`). A file of its own, not
 * in delivery.ts: the web app loads that one, and has no node:crypto.
 */
export function smsReference(id: string): string {
  const digest = createHash('sha256').update(id).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < SMS_REFERENCE_LENGTH) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';
export const SMS_REFERENCE_LENGTH = 26;
