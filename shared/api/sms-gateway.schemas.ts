import * as z from './zod.ts';

/**
 * What SMS gateways send to the firm's receipt and inbound URLs (shared/use-cases/sms-gateway.ts).
 * Sveve's calls are not ours to shape: they come as query parameters (GET) or a form or JSON
 * body (POST), every value a string (a JSON body may carry numbers and booleans), and Sveve
 * may add parameters, so members Frist does not read are dropped rather than refused (a
 * refusal would only make Sveve retry for hours). The generic gateway's bodies are Frist's
 * own documented JSON, refused strictly like every other body.
 */

/** A gateway's value as text, bounded: Sveve sends strings, a JSON body may send numbers or booleans. */
function text(max: number) {
  return z
    .union([z.string().max(max), z.number(), z.boolean()])
    .transform((value) => String(value).trim())
    .openapi({ type: 'string', maxLength: max });
}

/** Sveve's delivery report ("Leveringsrapport"), by GET or POST. */
export const SveveReceipt = z
  .object({
    number: text(20).optional().openapi({ description: 'The recipient, digits with the country code: `4791234567`.' }),
    status: text(5)
      .transform((value) => value.toLowerCase())
      .pipe(z.enum(['true', 'false']))
      .openapi({ type: 'string', enum: ['true', 'false'], description: '`true`: delivered to the phone; `false`: it could not be delivered.' }),
    id: text(64).optional().openapi({ description: "Sveve's id of the message." }),
    ref: text(64).optional().openapi({ description: 'The reference the SMS was sent with; a report without one is ignored.' }),
    errorCode: text(64).optional(),
    errorDesc: text(2000).optional().openapi({ description: "The operator's reason; recorded with phone numbers and e-mail addresses removed." }),
  })
  .openapi('SveveReceipt');

/** A message Sveve received on the firm's keyword or number, pushed to the firm's URL. */
export const SveveInbound = z
  .object({
    number: text(20).openapi({ description: 'The sender, digits with the country code: `4791234567`.' }),
    msg: text(2000).default('').openapi({ description: 'The text received.' }),
    prefix: text(64).optional().openapi({ description: 'The keyword (kodeord) the message was sent to; taken off the text when it starts with it.' }),
    shortnumber: text(20).optional().openapi({ description: 'The short number it was sent to (1963, 2065, ...).' }),
  })
  .openapi('SveveInbound');

export const GenericReceipt = z
  .strictObject({
    reference: z.string().min(1).max(64).openapi({ description: 'The `reference` the SMS was sent with.' }),
    id: z.string().max(64).optional().openapi({ description: "The gateway's id of the message (its answer to the send)." }),
    status: z.enum(['delivered', 'undelivered']),
    errorCode: z.string().max(64).optional(),
    error: z
      .string()
      .max(2000)
      .optional()
      .openapi({ description: "For `undelivered`: the operator's reason (recorded with phone numbers and e-mail addresses removed)." }),
  })
  .openapi('GenericReceipt', { description: 'A delivery report of the generic JSON gateway.' });

export const GenericInbound = z
  .strictObject({
    from: z
      .string()
      .min(1)
      .max(20)
      .openapi({ description: 'The sender, E.164 (`+4791234567`), with 00 for + (`004791234567`), or a Norwegian number.', example: '+4791234567' }),
    text: z.string().max(2000).openapi({ example: 'STOPP' }),
  })
  .openapi('GenericInbound', { description: 'A message the generic JSON gateway received.' });
