import type { TFunction } from 'i18next';
import { fromIsoOffset } from './offset';
import type { Notice } from './notice-values';

/** A notice in words: "3 dager før fristen, kl. 09:00, e-post og SMS, gjentas 2 ganger, hver 7. dag". */
export function describeNotice(notice: Notice, t: TFunction, dateOnly: boolean): string {
  const { amount, unit } = fromIsoOffset(notice.offset);
  const when =
    amount === 0 ? t('notices.summary.atDeadline') : t(`notices.summary.${notice.when}`, { offset: t(`notices.summary.offset.${unit}`, { count: amount }) });
  const parts = [when];
  if (dateOnly) parts.push(t('notices.summary.sendAt', { time: notice.sendAt ?? '09:00' }));
  parts.push(notice.channels.map((channel) => t(`notices.summary.channels.${channel}`)).join(t('notices.summary.and')));
  if (notice.repeat) parts.push(t('notices.summary.repeat', { count: notice.repeat.times, every: notice.repeat.every }));
  return parts.join(', ');
}
