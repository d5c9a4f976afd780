import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { deferredByPacingOnly, REQUEUE_FROM_RECEIVE, requeueDeferred } from '../../functions/dispatch/pacing-requeue.ts';
import { DISPATCH_QUEUE } from '../../shared/dispatch-queue.ts';
import type { SendingPorts } from '../../shared/ports.ts';
import type { DispatchReport } from '../../shared/use-cases/dispatch-notice.ts';

const BODY = JSON.stringify({ tenantId: 'firm-1', taskId: 'task-1', noticeId: 'notice-1', occurrenceAt: '2030-02-07T08:00:00Z', planVersion: 1 });
const PACED: DispatchReport = { outcomes: { email: 'retry' }, details: { email: { code: 'send-rate' } } };

function record(receives: number): SQSRecord {
  return { messageId: 'm-1', body: BODY, attributes: { ApproximateReceiveCount: String(receives) } } as unknown as SQSRecord;
}

/** Ports with a dispatch queue that records each SendMessage, or fails it. */
function portsWithQueue(fails = false) {
  const sent: { body: string; groupId: string; delaySeconds: number }[] = [];
  const silent = () => undefined;
  const ports = {
    log: { info: silent, warn: silent, error: silent, debug: silent },
    dispatchQueue: {
      send: async (body: string, groupId: string, delaySeconds: number) => {
        if (fails) throw new Error('the dispatch queue is unavailable');
        sent.push({ body, groupId, delaySeconds });
      },
    },
  } as unknown as SendingPorts;
  return { ports, sent };
}

describe('a notice deferred by pacing', () => {
  it('is sent back from half the receives the queue allows', () => {
    expect(REQUEUE_FROM_RECEIVE).toBe(DISPATCH_QUEUE.maxReceiveCount / 2);
  });

  it('below half the receives: left to the queue (failed as before), no SendMessage', async () => {
    const { ports, sent } = portsWithQueue();
    expect(await requeueDeferred(ports, record(REQUEUE_FROM_RECEIVE - 1), PACED)).toBe(false);
    expect(sent).toEqual([]);
  });

  it('at or above half the receives: one SendMessage of the same body in the firm group, as delayed as the queue retry; done with', async () => {
    for (const receives of [REQUEUE_FROM_RECEIVE, DISPATCH_QUEUE.maxReceiveCount]) {
      const { ports, sent } = portsWithQueue();
      expect(await requeueDeferred(ports, record(receives), PACED)).toBe(true);
      expect(sent).toEqual([{ body: BODY, groupId: 'firm-1', delaySeconds: DISPATCH_QUEUE.visibilityTimeoutSeconds }]);
    }
  });

  it('whose SendMessage fails: failed as before, so nothing is lost', async () => {
    const { ports } = portsWithQueue(true);
    expect(await requeueDeferred(ports, record(REQUEUE_FROM_RECEIVE + 1), PACED)).toBe(false);
  });

  it('is not sent back when another channel failed for another reason, nor when there is no queue to send to', async () => {
    const { ports, sent } = portsWithQueue();
    const mixed: DispatchReport = {
      outcomes: { email: 'retry', sms: 'retry' },
      details: { email: { code: 'send-rate' }, sms: { code: 'timeout', unknown: true } },
    };
    expect(await requeueDeferred(ports, record(REQUEUE_FROM_RECEIVE), mixed)).toBe(false);
    expect(await requeueDeferred({ ...ports, dispatchQueue: undefined }, record(REQUEUE_FROM_RECEIVE), PACED)).toBe(false);
    expect(sent).toEqual([]);
  });
});

describe('deferred by pacing only', () => {
  it('is a retry whose every channel that must come back waited for the rate or a provider throttle', () => {
    expect(deferredByPacingOnly({ outcomes: { email: 'retry' }, details: { email: { code: 'ses-throttled' } } })).toBe(true);
    expect(deferredByPacingOnly({ outcomes: { email: 'sent', sms: 'retry' }, details: { sms: { code: 'sms-http-429' } } })).toBe(true);
    expect(deferredByPacingOnly({ outcomes: { sms: 'retry' }, details: { sms: { code: 'sms-http-503' } } })).toBe(false);
    expect(deferredByPacingOnly({ outcomes: { email: 'retry' }, details: { email: { code: 'claim-held' } } })).toBe(false);
    expect(deferredByPacingOnly({ outcomes: { email: 'sent' } })).toBe(false);
    expect(deferredByPacingOnly(undefined)).toBe(false);
  });
});
