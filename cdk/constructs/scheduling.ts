import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DISPATCH_QUEUE } from '../../shared/dispatch-queue.ts';
import { FristFunction } from './frist-function.ts';

/**
 * Frist's schedule group; the dispatch queue that every notice schedule sends its occurrence
 * to (SQS SendMessage, the Scheduler's universal target, with the firm as message group: a fair
 * queue), read by the dispatch function; the
 * dead-letter queue (of the dispatch queue after its retries, of every schedule the Scheduler
 * could not hand over, and of every other asynchronous path: the reconciler's and the
 * SES-events function's failed invocations, the hourly rule and the SNS subscription), an
 * alarm when that queue holds anything, an alarm when the dispatch queue holds a message
 * longer than a quarter of an hour (notices are being retried: an outage), and the role the
 * Scheduler assumes: it may send to the dispatch queue and the dead-letter queue, nothing else.
 */
export class Scheduling extends Construct {
  readonly groupName: string;
  readonly groupScheduleArn: string;
  readonly deadLetters: Queue;
  readonly dispatchQueue: Queue;
  readonly role: Role;
  readonly deadLetterAlarm: Alarm;
  readonly dispatchDelayAlarm: Alarm;

  constructor(scope: Construct, id: string, props: { stage: string }) {
    super(scope, id);
    this.groupName = `frist-${props.stage}`;
    new CfnScheduleGroup(this, 'Group', { name: this.groupName });
    this.groupScheduleArn = FristFunction.arnOf(this, 'scheduler', `schedule/${this.groupName}/*`);

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.deadLetterAlarm = new Alarm(this, 'DeadLettersAlarm', {
      alarmDescription: 'Something failed for good (a notice dispatch, a reconcile run or an SES event): read the dead-letter queue (README, Alarms).',
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.dispatchQueue = workQueue(this, 'DispatchQueue', DISPATCH_QUEUE, this.deadLetters);
    this.dispatchDelayAlarm = new Alarm(this, 'DispatchDelayedAlarm', {
      alarmDescription:
        'A notice has waited in the dispatch queue for over 15 minutes: SES, the SMS gateway or a dependency is failing and notices are being retried (README, Alarms).',
      metric: this.dispatchQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 15 * 60,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.role = new Role(this, 'SchedulerRole', {
      // Only schedules of this account may use the role (no confused deputy).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Assumed by EventBridge Scheduler to run Frist notice schedules',
    });
    this.role.addToPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.dispatchQueue.queueArn, this.deadLetters.queueArn] }));
  }
}

/**
 * A queue a function works off (dispatch, jobs, webhooks): encrypted, TLS only, its timeouts
 * and receives from its settings in shared/, and messages that keep failing moved to the
 * stack's one dead-letter queue, whose alarm fires.
 */
export function workQueue(
  scope: Construct,
  id: string,
  settings: { visibilityTimeoutSeconds: number; retentionSeconds: number; maxReceiveCount: number },
  deadLetters: IQueue,
): Queue {
  return new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(settings.visibilityTimeoutSeconds),
    retentionPeriod: Duration.seconds(settings.retentionSeconds),
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: settings.maxReceiveCount },
  });
}
