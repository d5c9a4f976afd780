/** Frist's functions, as deployed: each has a role, a log group and a Powertools service of its own. */
export type FunctionName = 'api' | 'dispatch' | 'reconciler' | 'ses-events' | 'jobs' | 'webhooks';

/** A function's Powertools service: the `service` key of its log lines and the `service` dimension of its metrics. */
export function serviceOf(fn: FunctionName): string {
  return `frist-${fn}`;
}

/** The CloudWatch namespace of every Frist metric; the alarms read it from here too. */
export const METRICS_NAMESPACE = 'Frist';
