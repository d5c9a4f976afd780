import type { Stack } from 'aws-cdk-lib';
import { Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { FristFunction } from './constructs/frist-function.ts';

interface Parts {
  api: FristFunction;
  dispatch: FristFunction;
  reconciler: FristFunction;
  sesEvents: FristFunction;
  jobs: FristFunction;
  deadLetters: IConstruct;
  publicRoutes: IConstruct[];
  userPool?: IConstruct;
}

/**
 * Every cdk-nag finding Frist accepts, each with the reason a reviewer needs. Findings are
 * acknowledged on the construct that has them, never on the whole stack, and IAM findings
 * by their full id, so a new wildcard elsewhere still fails the synth.
 */
export function acknowledgeFindings(stack: Stack, parts: Parts): void {
  const ack = (scope: IConstruct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });
  // cdk-nag names an unresolved region or account by its pseudo parameter.
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const arn = (service: string, resource: string) => `arn:<AWS::Partition>:${service}:${region}:${account}:${resource}`;

  for (const fn of [parts.api, parts.dispatch, parts.reconciler, parts.sesEvents, parts.jobs]) {
    ack(
      fn.role,
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      fn === parts.reconciler
        ? 'X-Ray tracing (PutTraceSegments, PutTelemetryRecords) and scheduler:ListSchedules have no resource-level permissions in IAM; both can only be granted on *.'
        : 'X-Ray tracing (PutTraceSegments, PutTelemetryRecords) has no resource-level permissions in IAM; it can only be granted on *.',
    );
  }
  ack(
    parts.api.role,
    `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId(stack, 'Storage/Table')}.Arn>/index/*]`,
    "The api's queries use the table's own GSIs (register, by customer, by status); the wildcard covers only this table's indexes.",
  );
  for (const fn of [parts.api, parts.dispatch]) {
    ack(
      fn.role,
      `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId(stack, 'Storage/Documents')}.Arn>/tenants/*]`,
      "Documents are per tenant and customer under tenants/; the wildcard covers that prefix of Frist's own bucket only.",
    );
    ack(
      fn.role,
      `AwsSolutions::AwsSolutions-IAM5[Resource::${arn('secretsmanager', `secret:frist/${stageOf(stack)}/tenants/*`)}]`,
      "One secret per tenant under this stage's prefix; the wildcard is the prefix, so no other secret is reachable.",
    );
  }
  for (const fn of [parts.api, parts.reconciler, parts.jobs]) {
    ack(
      fn.role,
      `AwsSolutions::AwsSolutions-IAM5[Resource::${arn('scheduler', `schedule/frist-${stageOf(stack)}/*`)}]`,
      "One schedule per notice occurrence, created at run time in Frist's own schedule group; the wildcard is that group.",
    );
  }
  ack(
    parts.api.fn,
    'Serverless::Serverless-LambdaDLQ',
    'The api function is invoked synchronously by API Gateway; a failure is the HTTP response, there is nothing to dead-letter.',
  );
  for (const [fn, queue] of [
    [parts.dispatch, 'dispatch queue'],
    [parts.jobs, 'jobs queue'],
  ] as const) {
    ack(
      fn.fn,
      'Serverless::Serverless-LambdaDLQ',
      `This function is invoked by its SQS event source mapping, not asynchronously; a message that keeps failing goes to the dead-letter queue by the ${queue}'s redrive policy.`,
    );
    ack(
      fn.fn,
      'Serverless::Serverless-LambdaEventSourceMappingDestination',
      `Lambda offers no on-failure destination for SQS event sources; the ${queue}'s redrive policy moves a message to the dead-letter queue after its receives, and an alarm watches that queue.`,
    );
  }
  ack(
    parts.deadLetters,
    'AwsSolutions::AwsSolutions-SQS3',
    'This queue is the dead-letter queue of the dispatch and jobs queues, of schedules and of asynchronous invocations.',
  );
  ack(parts.deadLetters, 'Serverless::Serverless-SQSRedrivePolicy', 'This queue is itself the dead-letter queue; an alarm fires when it holds a message.');
  for (const route of parts.publicRoutes) {
    ack(
      route,
      'AwsSolutions::AwsSolutions-APIG4',
      'GET /health, GET /openapi.json and GET /docs with the files it loads are public on purpose: a liveness probe, the API description and its reference page; no tenant data.',
    );
  }
  if (parts.userPool) {
    ack(
      parts.userPool,
      'AwsSolutions::AwsSolutions-COG8',
      'The Plus feature plan (threat protection) costs per monthly active user; MFA is required and self sign-up is off instead. Revisit for large firms.',
    );
  }
}

function logicalId(stack: Stack, path: string): string {
  const construct = stack.node.findChild(path.split('/')[0]!).node.findChild(path.split('/')[1]!);
  return stack.getLogicalId(construct.node.defaultChild as never);
}

function stageOf(stack: Stack): string {
  return stack.stackName.replace(/^Frist-/, '');
}
