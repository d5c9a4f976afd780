import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { DispatchEventSchema } from '../../shared/api/dispatch-event.schema.ts';
import type { SendingPorts } from '../../shared/ports.ts';
import { dispatchNotice, type DispatchReport } from '../../shared/use-cases/dispatch-notice.ts';

/**
 * The dispatch Lambda, invoked by a notice's schedule. The event is parsed before use; an
 * event that does not parse is a bug upstream and throws, so it ends in the dead-letter
 * queue where an alarm sees it. A transient send failure throws too: the Scheduler retries.
 * Logs carry ids and outcomes, never texts or addresses.
 */
export function createDispatchHandler(ports: SendingPorts) {
  return middy<unknown, DispatchReport, Error, Context>().handler(async (raw) => {
    const parsed = DispatchEventSchema.safeParse(raw);
    if (!parsed.success) {
      ports.log.error('dispatch event rejected', { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`) });
      throw new Error('invalid dispatch event');
    }
    const event = parsed.data;
    const ids = { tenantId: event.tenantId, taskId: event.taskId, noticeId: event.noticeId, occurrenceAt: event.occurrenceAt };
    try {
      const report = await dispatchNotice(ports, event);
      ports.log.info('notice dispatched', { ...ids, ...report });
      return report;
    } catch (error) {
      ports.log.warn('notice dispatch will be retried', { ...ids, error: (error as Error).message });
      throw error;
    }
  });
}
