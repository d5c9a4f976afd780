import * as z from 'zod';

const Recipients = z.array(z.object({ emailAddress: z.string().max(320) }).loose()).max(100);

/**
 * What Frist reads of an SES event (configuration-set event publishing; the older identity
 * notifications say `notificationType` instead of `eventType`). Unknown fields are kept
 * out of the way, not refused: SES adds fields over time.
 */
export const SesEventSchema = z
  .object({
    eventType: z.string().optional(),
    notificationType: z.string().optional(),
    mail: z.object({ tags: z.record(z.string(), z.array(z.string())).optional() }).loose(),
    bounce: z.object({ bounceType: z.string(), bouncedRecipients: Recipients }).loose().optional(),
    complaint: z.object({ complainedRecipients: Recipients }).loose().optional(),
  })
  .loose();

export const SnsEventSchema = z.object({
  Records: z.array(z.object({ Sns: z.object({ Message: z.string() }).loose() }).loose()).max(100),
});
