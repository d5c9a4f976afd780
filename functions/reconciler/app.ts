import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Ports } from '../../shared/ports.ts';
import { reconcileSchedules, type ReconcileOptions, type ReconcileReport } from '../../shared/use-cases/reconcile-schedules.ts';

/**
 * The reconciler Lambda (an EventBridge rule every 15 minutes): repairs schedules, hands
 * overdue occurrences to dispatch again, and reports what it did.
 */
export function createReconcilerHandler(ports: Ports, options: ReconcileOptions) {
  return middy<unknown, ReconcileReport, Error, Context>().handler(async () => {
    const report = await reconcileSchedules(ports, options);
    ports.log.info('schedules reconciled', { ...report });
    if (report.failed > 0) throw new Error(`reconcile failed for ${report.failed} of ${report.tasks} tasks`);
    return report;
  });
}
