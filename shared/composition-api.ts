import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { observeCalls } from './adapters/call-observer.ts';
import { EventBridgeScheduler } from './adapters/scheduler.adapter.ts';
import { SqsJobQueue } from './adapters/sqs-job-queue.adapter.ts';
import { buildSqsClient, clientOptions, type ClientOverrides } from './composition.ts';
import { buildCorePorts } from './composition-core.ts';
import { required, type Config } from './config.ts';
import type { Ports } from './ports.ts';

/**
 * The ports of the api, reconciler and jobs functions, wired from configuration. The same code
 * serves AWS and the local stack: only endpoints and credentials differ.
 */
export function buildPorts(config: Config, overrides: ClientOverrides = {}): Ports {
  const scheduler = new SchedulerClient(clientOptions(config, config.SCHEDULER_ENDPOINT, overrides.credentials?.scheduler));
  const sqs = buildSqsClient(config, overrides);
  return {
    ...buildCorePorts(config, overrides, sqs),
    scheduler: new EventBridgeScheduler(observeCalls(scheduler, overrides.recordCall), {
      groupName: config.SCHEDULE_GROUP,
      targetArn: required(config, 'DISPATCH_QUEUE_ARN'),
      roleArn: required(config, 'SCHEDULER_ROLE_ARN'),
      deadLetterArn: required(config, 'SCHEDULER_DLQ_ARN'),
      retry: { maximumRetryAttempts: config.SCHEDULE_MAX_RETRIES, maximumEventAgeInSeconds: config.SCHEDULE_MAX_EVENT_AGE_SECONDS },
      ...(config.DISPATCH_FAIR_QUEUE_URL ? { fairQueueUrl: config.DISPATCH_FAIR_QUEUE_URL } : {}),
      customerHint: config.DISPATCH_CUSTOMER_HINT,
    }),
    jobs: new SqsJobQueue(sqs, required(config, 'JOBS_QUEUE_URL')),
  };
}
