import { MetricUnit, type Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { MetricDimensions, MetricName, Metrics } from '../ports.ts';

/**
 * The Metrics port on Powertools Metrics, in embedded metric format: JSON log lines from
 * which CloudWatch Logs makes the metrics, so no `cloudwatch:PutMetricData` call (and no
 * grant for one) sits on the send path. EMF gives every metric of one line the same
 * dimensions, and one dispatch invocation counts several channels and reasons, so a count
 * goes out twice:
 * - without its dimensions, into the function's buffer, which the middy `logMetrics`
 *   middleware flushes once per invocation: the per-function total that the alarms watch
 *   (`NoticeFailed` of service `frist-dispatch`);
 * - with them, as a single metric, on its own line at once: the breakdown (`Channel`, `Reason`)
 *   to read when an alarm fires.
 */
export class PowertoolsMetricsAdapter implements Metrics {
  constructor(private readonly metrics: PowertoolsMetrics) {}

  count<N extends MetricName>(name: N, dimensions: MetricDimensions[N], value = 1): void {
    this.metrics.addMetric(name, MetricUnit.Count, value);
    if (Object.keys(dimensions).length === 0) return;
    const single = this.metrics.singleMetric();
    single.addDimensions(dimensions);
    single.addMetric(name, MetricUnit.Count, value);
  }
}
