import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ThrottlingException,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { isMessageId } from '../api/dispatch-event.schema.ts';
import { atExpression } from '../domain/schedule-names.ts';
import { DependencyUnavailableError, ThrottledError } from '../errors.ts';
import type { SchedulerPort, ScheduleSpec } from '../ports.ts';

export interface SchedulerTarget {
  groupName: string;
  /** The dispatch queue. */
  targetArn: string;
  /** The role the Scheduler assumes to invoke it. */
  roleArn: string;
  deadLetterArn: string;
  /** Retries after the first attempt, and how long an event may keep being retried. */
  retry: { maximumRetryAttempts: number; maximumEventAgeInSeconds: number };
  /** The dispatch queue's URL when it is used as a fair queue (the firm as message group). */
  fairQueueUrl?: string;
  /**
   * Whether messages carry the task's customer (DispatchEvent's `customerId`). Off only while
   * a dispatch that rejects it may still run: during an upgrade from, or before a rollback to,
   * a version before it (README, "Deploy").
   */
  customerHint: boolean;
}

/**
 * The Scheduler's universal target for SQS SendMessage (EventBridge Scheduler User Guide,
 * "Using universal targets"): the input is the request's parameters. The templated SQS target
 * sets a MessageGroupId only for FIFO queues, so a standard queue's fair-queue group is set here.
 */
export const SQS_SEND_MESSAGE_TARGET = 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage';

/**
 * One one-time schedule per notice occurrence, in Frist's group. `at()` is always UTC (the
 * plan converts local time itself, because AWS skips a one-time schedule whose local time
 * does not exist on a DST day); no flexible window; the schedule deletes itself once it has
 * run. Its target is the dispatch queue (SQS SendMessage, the input as the message body);
 * the retry policy and dead-letter queue cover only failures to deliver to that queue.
 * Failures of the Scheduler itself surface as 503, so the caller's retry is safe.
 */
export class EventBridgeScheduler implements SchedulerPort {
  constructor(
    private readonly client: SchedulerClient,
    private readonly target: SchedulerTarget,
  ) {}

  /** Names are immutable (see schedule-names.ts): one that exists already is this very schedule. */
  async create(spec: ScheduleSpec): Promise<'created' | 'existed'> {
    try {
      await this.client.send(new CreateScheduleCommand(this.input(spec)));
      return 'created';
    } catch (error) {
      if (!(error instanceof ConflictException)) throw unavailable(error);
      return 'existed';
    }
  }

  async delete(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.target.groupName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw unavailable(error);
    }
  }

  async list(prefix: string): Promise<{ name: string; createdAt?: Date }[]> {
    const schedules: { name: string; createdAt?: Date }[] = [];
    let token: string | undefined;
    do {
      const page = await this.client
        .send(new ListSchedulesCommand({ GroupName: this.target.groupName, NamePrefix: prefix, NextToken: token, MaxResults: 100 }))
        .catch((e: unknown) => {
          throw unavailable(e);
        });
      for (const s of page.Schedules ?? []) if (s.Name) schedules.push({ name: s.Name, ...(s.CreationDate ? { createdAt: s.CreationDate } : {}) });
      token = page.NextToken;
    } while (token);
    return schedules;
  }

  private input(spec: ScheduleSpec): CreateScheduleCommandInput {
    return {
      Name: spec.name,
      GroupName: this.target.groupName,
      ScheduleExpression: atExpression(spec.at),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        ...this.message(spec),
        RoleArn: this.target.roleArn,
        DeadLetterConfig: { Arn: this.target.deadLetterArn },
        RetryPolicy: {
          MaximumRetryAttempts: this.target.retry.maximumRetryAttempts,
          MaximumEventAgeInSeconds: this.target.retry.maximumEventAgeInSeconds,
        },
      },
    };
  }

  /** The target and its input: the event as the message body, with the firm as its group on a fair queue. */
  private message(spec: ScheduleSpec): { Arn: string; Input: string } {
    const { customerId, ...event } = spec.input;
    const body = JSON.stringify(this.target.customerHint && isMessageId(customerId) ? { ...event, customerId } : event);
    const queueUrl = this.target.fairQueueUrl;
    if (!queueUrl) return { Arn: this.target.targetArn, Input: body };
    return { Arn: SQS_SEND_MESSAGE_TARGET, Input: JSON.stringify({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: spec.input.tenantId }) };
  }
}

/** A throttle (the API's request-rate quota) is told apart: the reconciler backs off from it rather than failing. */
function unavailable(error: unknown): DependencyUnavailableError | ThrottledError {
  if (error instanceof ThrottlingException) return new ThrottledError('the scheduler is busy; retry shortly', { cause: error });
  return new DependencyUnavailableError('the scheduler is unavailable; retry shortly', { cause: error });
}
