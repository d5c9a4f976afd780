import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Ports } from '../../shared/ports.ts';
import { reconcileSchedules, type ReconcileReport } from '../../shared/use-cases/reconcile-schedules.ts';

/** The reconciler Lambda (an hourly EventBridge rule): repairs schedules and reports what it fixed. */
export function createReconcilerHandler(ports: Ports, options: { horizonHours: number }) {
  return middy<unknown, ReconcileReport, Error, Context>().handler(async () => {
    const report = await reconcileSchedules(ports, options);
    ports.log.info('schedules reconciled', { ...report });
    if (report.failed > 0) throw new Error(`reconcile failed for ${report.failed} of ${report.tasks} tasks`);
    return report;
  });
}
