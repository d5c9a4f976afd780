import { Channel } from '../domain/model.ts';
import { SmsMeasure } from '../domain/sms-encoding.ts';
import { Id } from './common.schemas.ts';
import { mergeTemplate } from './task.schemas.ts';
import * as z from './zod.ts';

export const PreviewRequest = z
  .strictObject({
    taskId: Id.optional().openapi({ description: "Fill in the codes for this task's customer; without it, the catalogue's examples." }),
    noticeId: Id.optional().openapi({ description: 'Preview this saved notice of the task instead of the given text.' }),
    channel: Channel,
    subject: mergeTemplate(200).optional(),
    message: mergeTemplate(2000).optional(),
  })
  .superRefine((request, ctx) => {
    if (request.noticeId && !request.taskId) {
      ctx.addIssue({ code: 'custom', path: ['taskId'], message: 'is required with noticeId', params: { rule: 'required' } });
    }
    if (!request.noticeId && request.message === undefined) {
      ctx.addIssue({ code: 'custom', path: ['message'], message: 'is required unless noticeId names a saved notice', params: { rule: 'required' } });
    }
  })
  .openapi('PreviewRequest');
export type PreviewInput = z.output<typeof PreviewRequest>;

/** What the SMS of a preview takes, against the deployment's segment limit. */
const SmsPreview = SmsMeasure.safeExtend({
  characters: SmsMeasure.shape.characters.meta({ description: 'Characters as a person counts them (code points).' }),
  units: SmsMeasure.shape.units.meta({
    description: 'What segments are made of: GSM-7 septets (an escape character such as € counts two) or UCS-2 code units.',
  }),
}).extend({ maxSegments: z.int(), withinLimit: z.boolean() });

export const Preview = z
  .object({
    channel: Channel,
    subject: z.string().optional(),
    text: z.string(),
    html: z.string().optional(),
    sms: SmsPreview.optional(),
    emptyCodes: z.array(z.string()).openapi({
      description:
        'Merge codes of the subject and message that come out empty for this task and customer (as written, e.g. task.responsible), so the firm sees "Ansvarlig: ." before it goes out.',
    }),
  })
  .openapi('Preview');
export type PreviewView = z.infer<typeof Preview>;

export const MergeCodeList = z
  .object({
    items: z.array(
      z.object({
        code: z.string().openapi({ example: 'customer.name' }),
        placeholder: z.string().openapi({ example: '{{customer.name}}' }),
        alias: z.string().openapi({ example: 'kunde.navn', description: 'The same code in Norwegian, accepted everywhere the code is.' }),
        aliasPlaceholder: z.string().openapi({ example: '{{kunde.navn}}' }),
        description: z.object({ nb: z.string(), en: z.string() }),
        example: z.string(),
      }),
    ),
  })
  .openapi('MergeCodeList');
