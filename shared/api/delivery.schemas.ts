import { Delivery, DeliveryState, DocumentRef, Receipt, SmsRecord } from '../domain/delivery.ts';
import { Channel } from '../domain/model.ts';
import { Cursor, Id, Limit } from './common.schemas.ts';
import * as z from './zod.ts';

/** What the provider reported after it took a sent notice. */
export const ReceiptView = Receipt.safeExtend({
  status: Receipt.shape.status.meta({
    description:
      "`delivered`: the SMS reached the phone (the gateway's delivery report) or the e-mail the receiving mail server (SES); `undelivered`: it did not, `reason` says why. `delivered` is final.",
  }),
  at: Receipt.shape.at.meta({ description: 'When Frist received the report.' }),
}).openapi('Receipt', { description: 'Absent until the provider reports; a provider may never report.' });

/** A delivery's state as the firm sees it: a claim and a retry are both still `pending`. */
export const DeliveryStateShown = z.enum(['pending', ...DeliveryState.exclude(['claimed', 'retrying']).options]);

const delivery = Delivery.shape;

/** One occurrence and channel of a task: its delivery record, or what the plan says of it before there is one. */
const DeliveryItem = Delivery.pick({
  id: true,
  noticeId: true,
  occurrenceAt: true,
  channel: true,
  state: true,
  reason: true,
  code: true,
  attempts: true,
  possibleDuplicate: true,
  sentAt: true,
  providerId: true,
})
  .safeExtend({
    reason: delivery.reason.meta({
      description:
        'Why it was skipped, failed or is being retried: task-completed, replanned, too-late, no-address, opted-out, suppressed, country-not-allowed, rate-limited, ... or the provider’s refusal (phone numbers and e-mail addresses removed).',
    }),
    code: delivery.code.meta({
      description:
        'The same as a short stable code: too-long, too-late, ses-throttled, timeout, ...; of a skip `rate-limited`, the cap it met: per-number-hour, per-day (the firm’s) or deployment-per-day.',
    }),
    attempts: delivery.attempts.meta({ description: 'Attempts so far; each makes at most one call to SES or the SMS gateway.' }),
  })
  .extend({
    state: DeliveryStateShown,
    possibleDuplicate: z.literal(true).optional().openapi({
      description: 'An earlier attempt may have reached the provider without an answer (a timeout, a crash): the customer may have received this notice twice.',
    }),
    documentId: z.string().optional(),
    receipt: ReceiptView.optional(),
    // Absent on an occurrence that has no record yet.
    updatedAt: delivery.updatedAt.optional(),
  });

export const DeliveryList = z.object({ items: z.array(DeliveryItem) }).openapi('DeliveryList');
export type DeliveryView = z.infer<typeof DeliveryItem>;

export const DocumentQuery = z
  .strictObject({ customerId: Id.optional(), taskId: Id.optional(), limit: Limit, cursor: Cursor })
  .refine((q) => q.customerId !== undefined || q.taskId !== undefined, {
    error: 'give customerId, taskId or both',
    path: ['customerId'],
    params: { rule: 'required' },
  });

/** A filed copy in the document center: a sent delivery, so its customer, send time and document are known. */
export const DocumentSummary = z
  .object({
    id: delivery.id,
    customerId: delivery.customerId.unwrap(),
    taskId: delivery.taskId,
    noticeId: delivery.noticeId,
    occurrenceAt: delivery.occurrenceAt,
    channel: Channel,
    sentAt: delivery.sentAt.unwrap(),
    contentType: DocumentRef.shape.contentType,
    size: DocumentRef.shape.size,
    receipt: ReceiptView.optional(),
  })
  .openapi('DocumentSummary');
export type DocumentView = z.infer<typeof DocumentSummary>;

/** `GET /documents/{id}` of an SMS: the record filed when it was sent (an e-mail is its .eml). */
export const SmsDocument = SmsRecord.safeExtend({
  recipient: SmsRecord.shape.recipient.meta({ description: 'E.164' }),
  providerId: SmsRecord.shape.providerId.meta({ description: "The SMS provider's id of the message." }),
}).openapi('SmsDocument');
