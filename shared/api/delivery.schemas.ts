import { Cursor, Id, Limit } from './common.schemas.ts';
import { z } from './zod.ts';

const Channel = z.enum(['email', 'sms', 'all']);

export const DeliveryList = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        noticeId: z.string(),
        occurrenceAt: z.string(),
        channel: Channel,
        state: z.enum(['pending', 'sent', 'skipped', 'failed']),
        reason: z.string().optional().openapi({
          description:
            'Why it was skipped, failed or is being retried: task-completed, replanned, too-late, no-address, opted-out, suppressed, ... or the provider’s refusal (phone numbers and e-mail addresses removed).',
        }),
        code: z.string().optional().openapi({ description: 'The same as a short stable code: too-long, too-late, ses-throttled, timeout, ...' }),
        attempts: z.int().openapi({ description: 'Attempts so far; each makes at most one call to SES or the SMS gateway.' }),
        possibleDuplicate: z.literal(true).optional().openapi({
          description:
            'An earlier attempt may have reached the provider without an answer (a timeout, a crash): the customer may have received this notice twice.',
        }),
        sentAt: z.string().optional(),
        providerId: z.string().optional(),
        documentId: z.string().optional(),
        updatedAt: z.string().optional(),
      }),
    ),
  })
  .openapi('DeliveryList');

export const DocumentQuery = z
  .strictObject({ customerId: Id.optional(), taskId: Id.optional(), limit: Limit, cursor: Cursor })
  .refine((q) => q.customerId !== undefined || q.taskId !== undefined, {
    error: 'give customerId, taskId or both',
    path: ['customerId'],
    params: { rule: 'required' },
  });

export const DocumentSummary = z
  .object({
    id: z.string(),
    customerId: z.string(),
    taskId: z.string(),
    noticeId: z.string(),
    occurrenceAt: z.string(),
    channel: z.enum(['email', 'sms']),
    sentAt: z.string(),
    contentType: z.enum(['message/rfc822', 'application/json']),
    size: z.int(),
  })
  .openapi('DocumentSummary');

/** `GET /documents/{id}` of an SMS: the record filed when it was sent (an e-mail is its .eml). */
export const SmsDocument = z
  .object({
    sender: z.string(),
    recipient: z.string().openapi({ description: 'E.164' }),
    text: z.string(),
    encoding: z.enum(['GSM-7', 'UCS-2']),
    segments: z.int(),
    providerId: z.string().optional().openapi({ description: "The SMS provider's id of the message." }),
  })
  .openapi('SmsDocument');
