import { toE164Mobile } from '../domain/phone.ts';
import { isTimeZone } from '../domain/time-zone.ts';
import * as z from './zod.ts';
import { rule } from './zod.ts';

export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'must be 1-64 of A-Z a-z 0-9 _ -' });

/** Lengths are checked before trimming: what the document says of `maxLength` holds for the raw text. */
export const Name = z.string().max(200).trim().min(1);

/**
 * zod's own e-mail pattern, with each domain label 1-63 characters that neither start nor end
 * with a hyphen (RFC 1034), as `format: email` says to a client's validator: what SES would
 * refuse as a recipient or sender is refused here. The document states the pattern itself too.
 */
const EMAIL_PATTERN = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export const Email = z
  .email({ pattern: EMAIL_PATTERN, ...rule('email', 'must be an e-mail address') })
  .max(254)
  .openapi({ example: 'post@example.no', pattern: EMAIL_PATTERN.source });

/**
 * A string that a domain function writes in its canonical form (a phone number in E.164),
 * or refuses by returning undefined: then the field fails with `rule`.
 */
export function normalisedString(normalise: (value: string) => string | undefined, ruleName: string, message: string) {
  return z
    .string()
    .max(32)
    .transform((value, ctx) => {
      const normalised = normalise(value);
      if (normalised === undefined) {
        ctx.addIssue({ code: 'custom', message, params: { rule: ruleName } });
        return z.NEVER;
      }
      return normalised;
    });
}

export const Mobile = normalisedString(toE164Mobile, 'mobile-number', 'must be a mobile number: +<country><number>, or 8 digits for Norway').openapi({
  type: 'string',
  example: '+4791234567',
  description: 'Stored in E.164; a bare 8-digit number is Norwegian (+47).',
});

export const TimeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, rule('time-zone', 'must be an IANA time zone such as Europe/Oslo'))
  .openapi({ example: 'Europe/Oslo' });

export const Version = z.int().min(0).max(Number.MAX_SAFE_INTEGER).openapi({
  description: 'The version you read; a write with an older one is refused with 409.',
});

export const IsoDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' });

/** Page size: decimal digits only, so `0x10` or `1e1` are refused rather than read as 16 or 10. */
export const Limit = z
  .string()
  .regex(/^[0-9]{1,6}$/, { error: 'must be a whole number 1-100 in decimal digits' })
  .transform(Number)
  .pipe(z.int().min(1).max(100))
  .default(25)
  .openapi({ type: 'integer', minimum: 1, maximum: 100, default: 25 });

/** The `Idempotency-Key` header of a retry-safe create. */
export const IdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be 1-64 of A-Z a-z 0-9 _ -' })
  .openapi({
    minLength: 1,
    maxLength: 64,
    description: 'Makes a retry safe: every request with this key gets the item the first one created (1-64 of A-Z a-z 0-9 _ -).',
  });

export const Cursor = z.string().max(1000).optional();

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional().openapi({ description: 'The path of the request.' }),
    errors: z.array(z.object({ field: z.string(), rule: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' });

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().optional() });
}
