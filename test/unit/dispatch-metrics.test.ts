import { describe, expect, it } from 'vitest';
import { countDispatch } from '../../functions/dispatch/dispatch-metrics.ts';
import { reasonOf } from '../../shared/domain/delivery-codes.ts';
import type { MetricName, Metrics } from '../../shared/ports.ts';
import type { DispatchReport } from '../../shared/use-cases/dispatch-notice.ts';

/** What countDispatch counted, one `name {dimensions}` line a count. */
function counted(report: DispatchReport): string[] {
  const lines: string[] = [];
  const metrics: Metrics = {
    count: (name: MetricName, dimensions: object, value = 1) => lines.push(`${name} ${JSON.stringify(dimensions)} ${value}`),
  };
  countDispatch(metrics, report);
  return lines;
}

describe('a metric reason', () => {
  it('is the delivery code itself when the code is one of the listed ones', () => {
    for (const code of [
      'ses-message-rejected',
      'ses-throttled',
      'sms-refused',
      'timeout',
      'response-unreadable',
      'too-long',
      'too-late',
      'no-sms-account',
      'claim-held',
    ]) {
      expect(reasonOf(code)).toBe(code);
    }
  });

  it('is the status class of an HTTP status a provider answered without a known error, so statuses cannot multiply the series', () => {
    expect(reasonOf('ses-http-403')).toBe('ses-http-4xx');
    expect(reasonOf('ses-http-502')).toBe('ses-http-5xx');
    expect(reasonOf('sms-http-401')).toBe('sms-http-4xx');
    expect(reasonOf('sms-http-500')).toBe('sms-http-5xx');
  });

  it('is `other` for a code nobody listed, or none', () => {
    expect(reasonOf('sms-http-302')).toBe('other');
    expect(reasonOf('something-new')).toBe('other');
    expect(reasonOf(undefined)).toBe('other');
  });
});

describe('what one dispatch report counts', () => {
  it('counts a sent channel by channel, and a failed one by channel and bounded reason', () => {
    expect(counted({ outcomes: { email: 'sent', sms: 'failed' }, details: { sms: { code: 'sms-http-400' } } })).toEqual([
      'NoticeSent {"Channel":"email"} 1',
      'NoticeFailed {"Channel":"sms","Reason":"sms-http-4xx"} 1',
    ]);
  });

  it('counts a channel that must come back as retried, and as an unknown outcome when no answer came', () => {
    expect(
      counted({ outcomes: { email: 'retry', sms: 'retry' }, details: { email: { code: 'timeout', unknown: true }, sms: { code: 'claim-held' } } }),
    ).toEqual([
      'NoticeRetried {"Channel":"email","Reason":"timeout"} 1',
      'NoticeOutcomeUnknown {"Channel":"email"} 1',
      'NoticeRetried {"Channel":"sms","Reason":"claim-held"} 1',
    ]);
  });

  it('counts skips by reason, once per channel', () => {
    expect(
      counted({
        outcomes: { email: 'skipped', sms: 'skipped' },
        details: { email: { reason: 'task-completed' }, sms: { reason: 'task-completed' } },
        reason: 'task-completed',
      }),
    ).toEqual(['NoticeSkipped {"Reason":"task-completed"} 1', 'NoticeSkipped {"Reason":"task-completed"} 1']);
  });

  it('counts an SMS skipped over a cap as skipped and as rate limited by its rule; one to a country not allowed only as skipped', () => {
    expect(counted({ outcomes: { sms: 'skipped' }, details: { sms: { reason: 'rate-limited', rule: 'per-number-hour' } } })).toEqual([
      'NoticeSkipped {"Reason":"rate-limited"} 1',
      'SmsRateLimited {"Rule":"per-number-hour"} 1',
    ]);
    expect(counted({ outcomes: { sms: 'skipped' }, details: { sms: { reason: 'country-not-allowed' } } })).toEqual([
      'NoticeSkipped {"Reason":"country-not-allowed"} 1',
    ]);
  });

  it('counts an SMS held for the next hour by the per-number cap as rate limited, and one held by quiet hours not at all', () => {
    expect(counted({ outcomes: { sms: 'held' }, details: { sms: { code: 'per-number-hour' } } })).toEqual(['SmsRateLimited {"Rule":"per-number-hour"} 1']);
    expect(counted({ outcomes: { sms: 'held' }, details: { sms: { code: 'quiet-hours' } } })).toEqual([]);
    // Held until past the lateness, it ends skipped: counted as a skip, not as a second refusal.
    expect(counted({ outcomes: { sms: 'skipped' }, details: { sms: { reason: 'rate-limited' } } })).toEqual(['NoticeSkipped {"Reason":"rate-limited"} 1']);
  });

  it('counts nothing for a replay or an event about nothing planned', () => {
    expect(counted({ outcomes: { email: 'duplicate' } })).toEqual([]);
    expect(counted({ outcomes: {}, ignored: 'task-deleted' })).toEqual([]);
  });
});
