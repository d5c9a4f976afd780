import { renderTemplate, type MergeValues } from './merge-codes.ts';
import type { Channel, Notice } from './model.ts';
import { measureSms, type SmsMeasure } from './sms-encoding.ts';

/**
 * How long a notice may be once its merge codes are filled in. The same rules hold when the
 * notice is saved (for the task's customer as it is then) and when it is sent (the customer
 * may have been renamed since, the firm too), so what goes out is never longer than what a
 * save would accept: an SMS is never sent as 31 segments, a subject never becomes a
 * 40,000-character header line.
 */
export const RENDERED_LIMITS = {
  /** Characters of the filled-in e-mail subject: one readable line (RFC 5322 allows 998). */
  subject: 300,
  /** Characters of the filled-in message. */
  message: 10_000,
} as const;

export interface RenderedNotice {
  subject?: string;
  text: string;
  sms?: SmsMeasure;
}

export interface LimitBreach {
  field: 'subject' | 'message';
  rule: 'too-long' | 'sms-segments';
  message: string;
}

/**
 * Fills in a notice's texts for one channel. An SMS ends with the firm's opt-out line, if it
 * set one, which counts in its segments like the rest.
 */
export function renderNotice(
  notice: Pick<Notice, 'subject' | 'message'>,
  fallbackSubject: string,
  channel: Channel,
  values: MergeValues,
  smsOptOutLine?: string,
): RenderedNotice {
  const text = renderTemplate(notice.message, values);
  if (channel === 'email') return { subject: renderTemplate(notice.subject ?? fallbackSubject, values), text };
  const sms = withOptOutLine(text, smsOptOutLine);
  return { text: sms, sms: measureSms(sms) };
}

/** The SMS text with the firm's opt-out line on a line of its own at the end. */
export function withOptOutLine(text: string, smsOptOutLine: string | undefined): string {
  return smsOptOutLine ? `${text}\n${smsOptOutLine}` : text;
}

/** The first limit a rendered notice breaks, if any. */
export function limitBreach(rendered: RenderedNotice, maxSmsSegments: number): LimitBreach | undefined {
  if (rendered.subject !== undefined && [...rendered.subject].length > RENDERED_LIMITS.subject) {
    return {
      field: 'subject',
      rule: 'too-long',
      message: `filled in, the subject has ${[...rendered.subject].length} characters; at most ${RENDERED_LIMITS.subject} are allowed`,
    };
  }
  if ([...rendered.text].length > RENDERED_LIMITS.message) {
    return {
      field: 'message',
      rule: 'too-long',
      message: `filled in, the message has ${[...rendered.text].length} characters; at most ${RENDERED_LIMITS.message} are allowed`,
    };
  }
  if (rendered.sms && rendered.sms.segments > maxSmsSegments) {
    const { segments, encoding, units } = rendered.sms;
    return {
      field: 'message',
      rule: 'sms-segments',
      message: `filled in, the SMS takes ${segments} segments (${encoding}, ${units} units); at most ${maxSmsSegments} are allowed`,
    };
  }
  return undefined;
}
