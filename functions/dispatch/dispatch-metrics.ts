import { reasonOf } from '../../shared/domain/delivery-codes.ts';
import type { Channel } from '../../shared/domain/model.ts';
import type { Metrics } from '../../shared/ports.ts';
import type { ChannelOutcome, DispatchReport } from '../../shared/use-cases/dispatch-notice.ts';

/**
 * What one dispatch report counts: each channel once, by its outcome. A `duplicate` counts
 * nothing (a replay: its first run counted it), nor does an event about nothing planned
 * (`ignored`). A provider call that ended without a readable answer counts as retried and
 * as `NoticeOutcomeUnknown`, since the recipient may have the message. An SMS a cap turned
 * away counts as `SmsRateLimited` by the cap's rule (the alarm watches it): skipped over a
 * daily cap, or held for the next hour by the per-number cap (each hour it is held again).
 */
export function countDispatch(metrics: Metrics, report: DispatchReport): void {
  for (const [channel, outcome] of Object.entries(report.outcomes) as [Channel, ChannelOutcome][]) {
    const detail = report.details?.[channel];
    const failure = detail && 'code' in detail ? detail : undefined;
    const skip = detail && 'reason' in detail ? detail : undefined;
    if (outcome === 'sent') metrics.count('NoticeSent', { Channel: channel });
    if (outcome === 'failed') metrics.count('NoticeFailed', { Channel: channel, Reason: reasonOf(failure?.code) });
    if (outcome === 'retry') metrics.count('NoticeRetried', { Channel: channel, Reason: reasonOf(failure?.code) });
    if (outcome === 'skipped' && skip) metrics.count('NoticeSkipped', { Reason: skip.reason });
    if (outcome === 'skipped' && skip?.rule) metrics.count('SmsRateLimited', { Rule: skip.rule });
    if (outcome === 'held' && failure?.code === 'per-number-hour') metrics.count('SmsRateLimited', { Rule: 'per-number-hour' });
    if (failure?.unknown) metrics.count('NoticeOutcomeUnknown', { Channel: channel });
  }
}
