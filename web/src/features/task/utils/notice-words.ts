import type { TFunction } from 'i18next';

const OFFSET = /^P(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const UNITS = ['months', 'weeks', 'days', 'hours', 'minutes', 'seconds'] as const;

/** A notice's offset in words: `P1DT12H` before → "1 dag 12 timer før fristen"; `PT0S` → "ved fristen". */
export function noticeTiming(notice: { when: 'before' | 'after'; offset: string }, t: TFunction): string {
  const match = OFFSET.exec(notice.offset);
  if (!match) return notice.offset;
  const parts = UNITS.flatMap((unit, i) => {
    const count = Number(match[i + 1] ?? 0);
    return count ? [t(`task.units.${unit}`, { count })] : [];
  });
  if (parts.length === 0) return t('task.notice.atDeadline');
  return t(`task.notice.${notice.when}`, { offset: parts.join(' ') });
}

/** A list of channels in words: "E-post, SMS". */
export function channelWords(channels: readonly ('email' | 'sms' | 'all')[], t: TFunction): string {
  return channels.map((channel) => t(`task.channels.${channel}`)).join(', ');
}

/** Why a delivery was skipped or failed: the catalogue's text for its code, the API's own reason otherwise. */
export function reasonWords(delivery: { reason?: string; code?: string }, t: TFunction): string {
  const key = delivery.code ?? delivery.reason;
  if (!key) return '';
  return t(`task.reasons.${key}` as 'task.reasons.replanned', { defaultValue: delivery.reason ?? key });
}

/** Why an occurrence moved, in words: "Grunnlovsdagen (17.05.2027), helg (16.05.2027)". */
export function movedWords(reasons: readonly { kind: 'weekend' | 'holiday' | 'quiet-hours'; date?: string; holiday?: string }[], t: TFunction): string {
  return reasons.map((r) => t(`task.plan.moved.${r.kind}`, { date: r.date ? r.date.split('-').reverse().join('.') : '', holiday: r.holiday ?? '' })).join(', ');
}
