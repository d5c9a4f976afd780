import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { MetricName } from '../../shared/ports.ts';
import { METRICS_NAMESPACE, serviceOf, type FunctionName } from '../../shared/telemetry-names.ts';

/**
 * Alarms on the delivery promise itself, from the metrics the functions write as embedded
 * metric format (shared/adapters/powertools-metrics.adapter.ts): each watches a function's
 * total (dimension `service` only); the breakdown by `Channel` and `Reason` is beside it in
 * the same namespace. Missing data is not breaching: no notice failed, or no run came.
 * The stack wires them to the alarm topic with its other alarms (README, Alarms).
 */
export class DeliveryAlarms extends Construct {
  /** A notice failed for good on some channel: it will not be retried. */
  readonly noticeFailed: Alarm;
  /** An occurrence is still not final an hour after its time. */
  readonly noticesOverdue: Alarm;
  /** An SMS was not sent because it would have gone over a cap: SMS pumping, or a firm that outgrew its caps. */
  readonly smsRateLimited: Alarm;

  /** A firm asked for higher SMS caps or another country: a thief's raise can be undone before it is in force. */
  readonly smsCapRaiseRequested: Alarm;
  /** Many SMS refused for a country the firm does not allow: someone is planning SMS to foreign numbers. */
  readonly smsCountryRefused: Alarm;

  constructor(scope: Construct, id: string, props: { reconcileEvery: Duration }) {
    super(scope, id);
    this.noticeFailed = anyInFiveMinutes(
      this,
      'NoticeFailedAlarm',
      fristMetric('dispatch', 'NoticeFailed', 'Sum', Duration.minutes(5)),
      'A notice failed for good (refused by SES or the SMS gateway, too long, too late, no SMS account): it will not be retried. See NoticeFailed by Reason (README, Alarms).',
    );
    // The reconciler reports once per run: a period of one run, and one breaching period of
    // the last two, so a run that lands late in its window does not clear the alarm.
    this.noticesOverdue = new Alarm(this, 'NoticesOverdueAlarm', {
      alarmDescription: 'A notice is still not sent, skipped or failed over an hour after its time (README, Alarms).',
      metric: fristMetric('reconciler', 'NoticesOverdue', 'Maximum', props.reconcileEvery),
      threshold: 1,
      evaluationPeriods: 2,
      datapointsToAlarm: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.smsRateLimited = anyInFiveMinutes(
      this,
      'SmsRateLimitedAlarm',
      fristMetric('dispatch', 'SmsRateLimited', 'Sum', Duration.minutes(5)),
      'An SMS was skipped because it would have gone over a cap (per number and hour, per firm and day, or the deployment per day): SMS pumping, or a firm that needs a higher cap. See SmsRateLimited by Rule (README, Alarms).',
    );
    this.smsCapRaiseRequested = anyInFiveMinutes(
      this,
      'SmsCapRaiseRequestedAlarm',
      fristMetric('api', 'SmsCapRaiseRequested', 'Sum', Duration.minutes(5)),
      "A firm raised its SMS caps or allowed another country: in force only after the raise delay (24 hours by default). If the firm did not mean it, its token may be stolen: have it lower the caps, which cancels the raise. The api log's 'SMS caps raise requested' names the firm (README, Alarms).",
    );
    // One refused SMS is a customer abroad; ten in five minutes is a burst to foreign numbers.
    this.smsCountryRefused = new Alarm(this, 'SmsCountryRefusedAlarm', {
      alarmDescription:
        'Ten or more SMS in five minutes were skipped for a country the firm does not allow: SMS pumping to foreign numbers, or a firm that needs a country. See NoticeSkipped by Reason (README, Alarms).',
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'NoticeSkipped' satisfies MetricName,
        dimensionsMap: { service: serviceOf('dispatch'), Reason: 'country-not-allowed' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 10,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  get alarms(): Alarm[] {
    return [this.noticeFailed, this.noticesOverdue, this.smsRateLimited, this.smsCapRaiseRequested, this.smsCountryRefused];
  }
}

/** An alarm on the first occurrence: one in a five-minute sum. */
function anyInFiveMinutes(scope: Construct, id: string, metric: Metric, alarmDescription: string): Alarm {
  return new Alarm(scope, id, {
    alarmDescription,
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/** One function's total of a Frist metric. */
function fristMetric(fn: FunctionName, name: MetricName, statistic: 'Sum' | 'Maximum', period: Duration): Metric {
  return new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service: serviceOf(fn) }, statistic, period });
}
