import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FristFunction } from './frist-function.ts';

/**
 * Frist's schedule group, the dead-letter queue (of every notice schedule, and of every
 * asynchronous path: dispatch's on-failure destination, the reconciler's and the SES-events
 * function's failed invocations, the hourly rule and the SNS subscription), an alarm when
 * that queue holds anything,
 * and the role the Scheduler assumes: it may invoke the dispatch function and write to the
 * dead-letter queue, nothing else.
 */
export class Scheduling extends Construct {
  readonly groupName: string;
  readonly groupScheduleArn: string;
  readonly deadLetters: Queue;
  readonly role: Role;
  readonly deadLetterAlarm: Alarm;

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
    this.role = new Role(this, 'SchedulerRole', {
      // Only schedules of this account may use the role (no confused deputy).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Assumed by EventBridge Scheduler to run Frist notice schedules',
    });
    this.deadLetters.grantSendMessages(this.role);
  }

  /** The Scheduler may invoke dispatch, only from schedules of this account's group. */
  allowInvoke(dispatch: IFunction): void {
    this.role.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [dispatch.functionArn] }));
  }
}
