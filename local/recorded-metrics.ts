import { buildTelemetry, type ClientOverrides, type CountedMetric, type Telemetry } from '../shared/composition.ts';
import type { Config } from '../shared/config.ts';
import type { MetricName } from '../shared/ports.ts';
import type { FunctionName } from '../shared/telemetry-names.ts';

/** One count, with the function that made it. */
export interface RecordedMetric extends CountedMetric {
  fn: FunctionName;
}

/**
 * What the functions counted, kept in memory. Locally Powertools prints nothing
 * (POWERTOOLS_METRICS_DISABLED), but every count still goes through the same port, adapter
 * and middleware as on AWS; the composition root shows each count here first.
 */
export class RecordedMetrics {
  readonly all: RecordedMetric[] = [];

  recorderFor(fn: FunctionName): (metric: CountedMetric) => void {
    return (metric) => this.all.push({ fn, ...metric });
  }

  /** The metric's total over the counts whose dimensions include all of `dimensions`. */
  sum(name: MetricName, dimensions: Record<string, string> = {}): number {
    return this.all
      .filter((m) => m.name === name && Object.entries(dimensions).every(([key, value]) => m.dimensions[key] === value))
      .reduce((total, m) => total + m.value, 0);
  }

  clear(): void {
    this.all.length = 0;
  }
}

const FUNCTIONS: FunctionName[] = ['api', 'dispatch', 'reconciler', 'ses-events', 'jobs', 'webhooks'];

/**
 * Each function's Logger and Metrics, as on AWS, and what they count. `overridesOf` hands a
 * function's clients its own pair and recorder, so its ports and its middleware share them.
 */
export function localTelemetry(config: Config) {
  const metrics = new RecordedMetrics();
  const telemetry = Object.fromEntries(FUNCTIONS.map((fn) => [fn, buildTelemetry(config, fn)])) as Record<FunctionName, Telemetry>;
  const overridesOf = (fn: FunctionName, overrides: ClientOverrides): ClientOverrides => ({
    ...overrides,
    telemetry: telemetry[fn],
    recordMetric: metrics.recorderFor(fn),
  });
  return { metrics, telemetry, overridesOf };
}
