import * as z from 'zod';
import { schema } from './schema.ts';

/**
 * SMS text encoding and segment counting (3GPP TS 23.038).
 *
 * A text goes out as GSM-7 when every character is in the GSM basic table or its extension
 * table (extension characters take two septets: ESC + char), otherwise as UCS-2 (UTF-16
 * code units). One segment carries 160 septets / 70 units; a concatenated message loses
 * room to its header, leaving 153 / 67 per segment. An escape pair or a surrogate pair is
 * never split across two segments, so the count below packs characters one by one.
 */

// The basic table without ESC (0x1B), which is not a character a text may contain.
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

export const SmsEncoding = /* @__PURE__ */ schema(() => z.enum(['GSM-7', 'UCS-2']));
export type SmsEncoding = z.infer<typeof SmsEncoding>;

export const SmsMeasure = /* @__PURE__ */ schema(() =>
  z.object({
    encoding: SmsEncoding,
    /** Characters as a person counts them (code points). */
    characters: z.int(),
    /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text occupies. */
    units: z.int(),
    segments: z.int(),
  }),
);
export type SmsMeasure = z.infer<typeof SmsMeasure>;

const LIMITS = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM_BASIC.has(ch) && !GSM_EXTENSION.has(ch)) return false;
  return true;
}

/** Units each character takes in the given encoding. */
function unitsOf(text: string, encoding: SmsEncoding): number[] {
  return [...text].map((ch) => (encoding === 'GSM-7' ? (GSM_EXTENSION.has(ch) ? 2 : 1) : ch.length));
}

export function measureSms(text: string): SmsMeasure {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const units = unitsOf(text, encoding);
  const total = units.reduce((sum, n) => sum + n, 0);
  const limit = LIMITS[encoding];
  return { encoding, characters: units.length, units: total, segments: countSegments(units, total, limit) };
}

function countSegments(units: number[], total: number, limit: { single: number; multi: number }): number {
  if (total === 0) return 0;
  if (total <= limit.single) return 1;
  let segments = 1;
  let used = 0;
  for (const n of units) {
    if (used + n > limit.multi) {
      segments += 1;
      used = 0;
    }
    used += n;
  }
  return segments;
}
