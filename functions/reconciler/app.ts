import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import type { Telemetry } from '../../shared/composition.ts';
import type { Ports } from '../../shared/ports.ts';
import { reconcileSchedules, type ReconcileOptions, type ReconcileReport } from '../../shared/use-cases/reconcile-schedules.ts';

/**
 * The event: the rule's scheduled event (its fields are not used), or `{ "full": true }`
 * from an operator, to check every task in the horizon, confirmed or not.
 */
const ReconcileEvent = z.looseObject({ full: z.boolean().optional() }).catch({});

/**
 * The reconciler Lambda (an EventBridge rule every 15 minutes): repairs schedules, hands
 * overdue occurrences to dispatch again, and reports what it did. Every run counts the
 * overdue channels and the resent occurrences, 0 included, so the overdue alarm sees a
 * value each run and a run that found nothing overdue clears it.
 */
export function createReconcilerHandler(ports: Ports, telemetry: Telemetry, options: ReconcileOptions) {
  return middy<unknown, ReconcileReport, Error, Context>()
    .use(injectLambdaContext(telemetry.logger))
    .use(logMetrics(telemetry.metrics))
    .handler(async (event) => {
      const { full } = ReconcileEvent.parse(event ?? {});
      const report = await reconcileSchedules(ports, { ...options, ...(full ? { full } : {}) });
      ports.metrics.count('NoticesOverdue', {}, report.overdue);
      ports.metrics.count('OccurrencesResent', {}, report.resent);
      ports.log.info('schedules reconciled', { ...report });
      if (report.failed > 0) throw new Error(`reconcile failed for ${report.failed} of ${report.tasks} tasks`);
      return report;
    });
}
