import type { Stack } from 'aws-cdk-lib';
import { DefaultStackSynthesizer, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { FristFunction } from './constructs/frist-function.ts';
import type { WebApp } from './constructs/web-app.ts';

interface Parts {
  api: FristFunction;
  dispatch: FristFunction;
  reconciler: FristFunction;
  sesEvents: FristFunction;
  jobs: FristFunction;
  webhooks: FristFunction;
  deadLetters: IConstruct;
  publicRoutes: IConstruct[];
  userPool?: IConstruct;
  web: WebApp;
}

/**
 * Every cdk-nag finding Frist accepts, each with the reason a reviewer needs. Findings are
 * acknowledged on the construct that has them, never on the whole stack, and IAM findings
 * by their full id, so a new wildcard elsewhere still fails the synth.
 */
export function acknowledgeFindings(stack: Stack, parts: Parts): void {
  const ack = (scope: IConstruct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });
  const { region, account } = asNagNames(stack);
  const arn = (service: string, resource: string) => `arn:<AWS::Partition>:${service}:${region}:${account}:${resource}`;

  for (const fn of [parts.api, parts.dispatch, parts.reconciler, parts.sesEvents, parts.jobs, parts.webhooks]) {
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
  for (const fn of [parts.api, parts.dispatch, parts.webhooks]) {
    if (fn !== parts.webhooks) {
      ack(
        fn.role,
        `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId(stack, 'Storage/Documents')}.Arn>/tenants/*]`,
        "Documents are per tenant and customer under tenants/; the wildcard covers that prefix of Frist's own bucket only.",
      );
    }
    ack(
      fn.role,
      `AwsSolutions::AwsSolutions-IAM5[Resource::${arn('secretsmanager', `secret:frist/${stageOf(stack)}/tenants/*`)}]`,
      "One secret per tenant under this stage's prefix; the wildcard is the prefix, so no other secret is reachable.",
    );
  }
  ack(
    parts.api.role,
    `AwsSolutions::AwsSolutions-IAM5[Resource::${arn('secretsmanager', `secret:frist/${stageOf(stack)}/tenants/*/webhook-*`)}]`,
    "The webhook signing secrets of every tenant under this stage's prefix, read back for a retried create; no other secret.",
  );
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
    [parts.webhooks, 'webhooks queue'],
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
    'This queue is the dead-letter queue of the dispatch, jobs and webhooks queues, of schedules and of asynchronous invocations.',
  );
  ack(parts.deadLetters, 'Serverless::Serverless-SQSRedrivePolicy', 'This queue is itself the dead-letter queue; an alarm fires when it holds a message.');
  for (const route of parts.publicRoutes) {
    ack(
      route,
      'AwsSolutions::AwsSolutions-APIG4',
      'GET /health, GET /openapi.json and GET /docs with the files it loads are public on purpose: a liveness probe, the API description and its reference page; no tenant data.',
    );
  }
  acknowledgeWebApp(stack, parts.web, ack);
  if (parts.userPool) {
    ack(
      parts.userPool,
      'AwsSolutions::AwsSolutions-COG8',
      'The Plus feature plan (threat protection) costs per monthly active user; MFA is required and self sign-up is off instead. Revisit for large firms.',
    );
  }
}

/** The web app's distribution and CDK's function that copies the built app into its bucket. */
function acknowledgeWebApp(stack: Stack, web: WebApp, ack: (scope: IConstruct, id: string, reason: string) => void): void {
  const distribution = web.distribution;
  ack(
    distribution,
    'AwsSolutions::AwsSolutions-CFR1',
    'No geo restriction: firm staff may sign in from abroad, and every call that reaches data goes through the sign-in and the API authorizer, not the location.',
  );
  ack(
    distribution,
    'AwsSolutions::AwsSolutions-CFR2',
    "No WAF web ACL: the distribution serves only the app's static files; the API throttles by itself. A web ACL for CloudFront lives in us-east-1 and costs per month and per request; add one when a firm asks.",
  );
  ack(
    distribution,
    'AwsSolutions::AwsSolutions-CFR4',
    "The distribution uses CloudFront's default *.cloudfront.net certificate, whose security policy CloudFront fixes (TLSv1 allowed); with a custom domain and an ACM certificate set minimumProtocolVersion TLSv1.2_2021.",
  );
  const qualifier = stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const { region, account } = asNagNames(stack);
  for (const [finding, reason] of [
    ['Action::s3:GetObject*', 'read the staged zip of the app'],
    ['Action::s3:GetBucket*', 'read the staged zip of the app'],
    ['Action::s3:List*', 'list the app bucket to prune files the new build no longer has'],
    ['Action::s3:DeleteObject*', 'prune files the new build no longer has'],
    ['Action::s3:Abort*', 'abort a failed multipart upload of a large file'],
    [
      `Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-${account}-${region}/*`,
      "read the staged zip from CDK's asset bucket, whose keys are content hashes",
    ],
    [`Resource::<${stack.getLogicalId(web.bucket.node.defaultChild as never)}.Arn>/*`, 'write any file of the build into the app bucket'],
    ['Resource::*', 'create and follow the CloudFront invalidation after an upload (granted by CDK on *)'],
  ] as const) {
    ack(
      web.deploymentRole,
      `AwsSolutions::AwsSolutions-IAM5[${finding}]`,
      `CDK's BucketDeployment grants this so its function can ${reason}; the role belongs to that function alone, which runs only during cdk deploy.`,
    );
  }
  const fn = web.deploymentFunction();
  const runtime = "CDK's BucketDeployment function: its runtime is chosen by aws-cdk-lib with the AWS CLI layer it ships, and moves with aws-cdk-lib upgrades.";
  ack(fn, 'AwsSolutions::AwsSolutions-L1', runtime);
  ack(fn, 'Serverless::Serverless-LambdaLatestVersion', runtime);
  ack(
    fn,
    'Serverless::Serverless-LambdaDLQ',
    "CDK's BucketDeployment function is a CloudFormation custom resource: it reports every failure to CloudFormation, which fails and rolls back the deployment; a dead-letter message would have no reader.",
  );
  ack(
    fn,
    'Serverless::Serverless-LambdaTracing',
    "CDK's BucketDeployment function runs only during cdk deploy and offers no tracing option; its logs go to the web app's deployment log group.",
  );
}

/** cdk-nag names an unresolved region or account by its pseudo parameter. */
function asNagNames(stack: Stack): { region: string; account: string } {
  return {
    region: Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region,
    account: Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account,
  };
}

function logicalId(stack: Stack, path: string): string {
  const construct = stack.node.findChild(path.split('/')[0]!).node.findChild(path.split('/')[1]!);
  return stack.getLogicalId(construct.node.defaultChild as never);
}

function stageOf(stack: Stack): string {
  return stack.stackName.replace(/^Frist-/, '');
}
