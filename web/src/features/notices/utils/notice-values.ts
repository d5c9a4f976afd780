import type { components } from '@/lib/api';
import { fromIsoOffset, toIsoOffset, type OffsetUnit } from './offset';

export type Task = components['schemas']['Task'];
export type Notice = components['schemas']['Notice'];
export type NoticeInput = components['schemas']['NoticeInput'];
export type Channel = 'email' | 'sms';

/** What the notice form holds: the API's notice, with the offset as a number and a unit. */
export type NoticeValues = {
  when: 'before' | 'after';
  amount: number | string;
  unit: OffsetUnit;
  channels: string[];
  sendAt: string;
  /** '' follows the firm's setting. */
  sendOn: '' | 'any' | 'businessDays';
  subject: string;
  message: string;
  repeat: boolean;
  repeatEvery: number | string;
  repeatTimes: number | string;
};

/** The form's fields, named as the API names them where it can. */
export const NOTICE_FIELDS = ['when', 'amount', 'channels', 'sendAt', 'sendOn', 'subject', 'message', 'repeat', 'repeatEvery', 'repeatTimes'] as const;

/** The API's field paths of the notice at `index` (`notices.2.offset`) as the form's fields. */
export function noticeFieldNames(index: number): Record<string, string> {
  const at = `notices.${index}`;
  return {
    [`${at}.when`]: 'when',
    [`${at}.offset`]: 'amount',
    [`${at}.channels`]: 'channels',
    [`${at}.sendAt`]: 'sendAt',
    [`${at}.sendOn`]: 'sendOn',
    [`${at}.subject`]: 'subject',
    [`${at}.message`]: 'message',
    [`${at}.repeat`]: 'repeat',
    [`${at}.repeat.every`]: 'repeatEvery',
    [`${at}.repeat.times`]: 'repeatTimes',
  };
}

export const DEFAULT_SEND_AT = '09:00';

/** A deadline without a time of day: its notices go out at `sendAt`. */
export function isDateOnly(deadline: string | undefined): boolean {
  return Boolean(deadline && /^\d{4}-\d{2}-\d{2}$/.test(deadline));
}

export function toValues(notice: Notice | undefined): NoticeValues {
  const offset = fromIsoOffset(notice?.offset ?? 'P1D');
  return {
    when: notice?.when ?? 'before',
    amount: offset.amount,
    unit: offset.unit,
    channels: notice?.channels ?? ['email'],
    sendAt: notice?.sendAt ?? DEFAULT_SEND_AT,
    sendOn: notice?.sendOn ?? '',
    subject: notice?.subject ?? '',
    message: notice?.message ?? '',
    repeat: Boolean(notice?.repeat),
    repeatEvery: notice?.repeat?.every ?? 7,
    repeatTimes: notice?.repeat?.times ?? 1,
  };
}

/** The form as the API's NoticeInput: empty texts left out, the subject only for e-mail. */
export function toNoticeInput(values: NoticeValues, keep: { id?: string; dateOnly: boolean; sendAt?: string }): NoticeInput {
  const channels = values.channels as Channel[];
  const sendAt = keep.dateOnly ? values.sendAt : keep.sendAt;
  return {
    ...(keep.id ? { id: keep.id } : {}),
    when: values.when,
    offset: toIsoOffset(values.amount, values.unit),
    channels,
    ...(sendAt ? { sendAt } : {}),
    ...(values.sendOn ? { sendOn: values.sendOn } : {}),
    ...(channels.includes('email') && values.subject !== '' ? { subject: values.subject } : {}),
    message: values.message,
    ...(values.repeat ? { repeat: { every: values.repeatEvery as number, times: values.repeatTimes as number } } : {}),
  };
}

/** A stored notice as the API takes it back (its id kept, read-only members left out). */
export function noticeInputOf(notice: Notice): NoticeInput {
  const { id, when, offset, channels, sendAt, sendOn, subject, message, repeat } = notice;
  return {
    id,
    when,
    offset,
    channels,
    message,
    ...(sendAt ? { sendAt } : {}),
    ...(sendOn ? { sendOn } : {}),
    ...(subject ? { subject } : {}),
    ...(repeat ? { repeat } : {}),
  };
}

/** What has notices: a task or a notice template. */
export interface NoticeOwner {
  id: string;
  version: number;
  notices: Notice[];
}

/** The owner's notices with one replaced (`index`) or added (`index` = length), or removed (`notice` undefined). */
export function replaceNotice(owner: Pick<NoticeOwner, 'notices'>, index: number, notice: NoticeInput | undefined): NoticeInput[] {
  const list = owner.notices.map(noticeInputOf);
  if (notice) list.splice(index, 1, notice);
  else list.splice(index, 1);
  return list;
}

/** The whole task as PUT would take it, with the given notices: what the form validates against TaskUpdate. */
export function taskBodyWith(task: Task, notices: NoticeInput[]) {
  const { title, customerId, deadline, responsible, description, version } = task;
  return {
    title,
    customerId,
    version,
    notices,
    ...(deadline ? { deadline } : {}),
    ...(responsible ? { responsible } : {}),
    ...(description ? { description } : {}),
  };
}
