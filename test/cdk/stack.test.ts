import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Storage } from '../../cdk/constructs/storage.ts';
import { API_FUNCTION } from '../../shared/api-function.ts';
import { INDEX_UPGRADE_STEPS, indexesAtUpgradeStep } from '../../shared/adapters/table-layout.ts';
import { DISPATCH_VARIABLES } from '../../shared/composition-dispatch.ts';
import { resources, synth, type Synthesized } from './synth.ts';

let dev: Synthesized;
let prod: Synthesized;

beforeAll(() => {
  dev = synth({ stage: 'dev' });
  prod = synth({
    stage: 'prod',
    sesIdentity: 'frist.example, tallogtid.no',
    corsOrigins: 'https://app.tallogtid.no',
    alarmEmail: 'drift@tallogtid.no',
    smsDeploymentPerDay: '2500',
    sesSendsPerSecond: '50',
    smsCeilingPerDay: '5000',
    smsCeilingCountries: 'NO,SE',
    smsRaiseDelayHours: '48',
    packTaskNotices: 'false',
    dispatchCustomerHint: 'false',
  });
}, 120_000);

/**
 * Every IAM statement of Frist's own roles, flattened, with the policy's logical id. The role
 * of CDK's BucketDeployment function, which copies the web app during deploys, carries CDK's
 * grants and is checked on its own (test/cdk/web-app.test.ts).
 */
function statements(json: Record<string, any>, { deployment = false } = {}): { policy: string; Action: string[]; Resource: unknown[]; Condition?: unknown }[] {
  const isDeployment = (policy: string) => policy.startsWith('WebDeploymentRole');
  return resources(json, 'AWS::IAM::Policy')
    .filter(([policy]) => isDeployment(policy) === deployment)
    .flatMap(([policy, r]) =>
      (r.Properties.PolicyDocument.Statement as any[]).map((s) => ({
        policy,
        Action: [s.Action].flat(),
        Resource: [s.Resource].flat(),
        ...(s.Condition ? { Condition: s.Condition } : {}),
      })),
    );
}

const policyOf = (json: Record<string, any>, role: string) => statements(json).filter((s) => s.policy.startsWith(role));
const functionOf = (json: Record<string, any>, name: string) => resources(json, 'AWS::Lambda::Function').find(([id]) => id.startsWith(`${name}Function`))![1];

/** The event source mapping that feeds a function from a queue, reporting failures item by item. */
function expectFed(queue: string, fn: string, batchSize: number, maximumConcurrency: number) {
  dev.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${queue}`), 'Arn'] },
    FunctionName: { Ref: Match.stringLikeRegexp(`^${fn}Function`) },
    BatchSize: batchSize,
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    ScalingConfig: { MaximumConcurrency: maximumConcurrency },
  });
}

describe('the functions', () => {
  it.each(['Api', 'Dispatch', 'Reconciler', 'SesEvents', 'Jobs', 'Webhooks'])('%s runs on nodejs24.x, arm64, traced, with its own log group', (name) => {
    const fn = functionOf(dev.json, name);
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: expect.anything() },
    });
    expect(fn.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it("hands dispatch the deployment's daily SMS cap: the default, or the configured one", () => {
    expect(functionOf(dev.json, 'Dispatch').Properties.Environment.Variables.SMS_DEPLOYMENT_PER_DAY).toBe('10000');
    expect(functionOf(prod.json, 'Dispatch').Properties.Environment.Variables.SMS_DEPLOYMENT_PER_DAY).toBe('2500');
  });

  it("hands dispatch the deployment's send rates toward SES and the SMS gateway: the defaults, or the configured ones", () => {
    const dispatch = (json: Record<string, any>) => functionOf(json, 'Dispatch').Properties.Environment.Variables;
    expect(dispatch(dev.json)).toMatchObject({ SES_SENDS_PER_SECOND: '14', SMS_SENDS_PER_SECOND: '10' });
    expect(dispatch(prod.json)).toMatchObject({ SES_SENDS_PER_SECOND: '50', SMS_SENDS_PER_SECOND: '10' });
  });

  it("hands the api and dispatch the ceiling of a firm's SMS caps, and the api the delay of a raise: the defaults, or the configured ones", () => {
    const variables = (json: Record<string, any>, name: string) => functionOf(json, name).Properties.Environment.Variables;
    for (const name of ['Api', 'Dispatch']) {
      expect(variables(dev.json, name)).toMatchObject({
        SMS_CEILING_PER_DAY: '2000',
        SMS_CEILING_PER_NUMBER_PER_HOUR: '10',
        SMS_CEILING_COUNTRIES: 'NO,SE,DK,FI,IS',
      });
      expect(variables(prod.json, name)).toMatchObject({ SMS_CEILING_PER_DAY: '5000', SMS_CEILING_PER_NUMBER_PER_HOUR: '10', SMS_CEILING_COUNTRIES: 'NO,SE' });
    }
    expect(variables(dev.json, 'Api').SMS_RAISE_DELAY_HOURS).toBe('24');
    expect(variables(prod.json, 'Api').SMS_RAISE_DELAY_HOURS).toBe('48');
  });

  it.each(['Api', 'Dispatch', 'Reconciler', 'Jobs'])(
    'tells %s, which saves tasks, whether to write their notices packed: yes by default, no with packTaskNotices=false',
    (name) => {
      expect(functionOf(dev.json, name).Properties.Environment.Variables.PACK_TASK_NOTICES).toBe('true');
      expect(functionOf(prod.json, name).Properties.Environment.Variables.PACK_TASK_NOTICES).toBe('false');
    },
  );

  it.each(['Api', 'Reconciler', 'Jobs'])(
    "tells %s, which writes schedules, whether their messages name the task's customer: yes by default, no with dispatchCustomerHint=false",
    (name) => {
      expect(functionOf(dev.json, name).Properties.Environment.Variables.DISPATCH_CUSTOMER_HINT).toBe('true');
      expect(functionOf(prod.json, name).Properties.Environment.Variables.DISPATCH_CUSTOMER_HINT).toBe('false');
    },
  );

  it('gives dispatch only variables it checks at cold start (it parses only its own: DISPATCH_VARIABLES)', () => {
    for (const { json } of [dev, prod]) {
      const given = Object.keys(functionOf(json, 'Dispatch').Properties.Environment.Variables as object);
      // Node's own and Powertools' own, which they read themselves.
      const checked = new Set<string>([...DISPATCH_VARIABLES, 'NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME']);
      expect(given.filter((name) => !checked.has(name))).toEqual([]);
      expect(given).toEqual(expect.arrayContaining(['TABLE_NAME', 'DOCUMENT_BUCKET', 'SMS_BASE_URL', 'WEBHOOKS_QUEUE_URL', 'DISPATCH_QUEUE_URL']));
    }
  });

  it('feeds dispatch from the dispatch queue: hours of retries, then the dead-letter queue, with bounded concurrency', () => {
    dev.template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 180,
      MessageRetentionPeriod: 1_209_600,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SchedulingDeadLetters'), 'Arn'] }, maxReceiveCount: 160 },
    });
    expectFed('SchedulingDispatchQueue', 'Dispatch', 10, 10);
    const [[, dispatch]] = resources(dev.json, 'AWS::Lambda::Function').filter(([id]) => id.startsWith('DispatchFunction')) as [[string, any]];
    // The claim outlives the function (a live claim is a live attempt) and ends before the message comes back.
    expect(dispatch.Properties.Timeout).toBe(30);
    expect(Number(dispatch.Properties.Environment.Variables.CLAIM_LEASE_SECONDS)).toBeGreaterThan(30);
    expect(Number(dispatch.Properties.Environment.Variables.CLAIM_LEASE_SECONDS)).toBeLessThan(180);
    expect(resources(dev.json, 'AWS::Lambda::EventInvokeConfig')).toEqual([]);
    // A notice the send rate alone keeps waiting is sent back to the queue afresh: dispatch has its URL and may send to it, as only the Scheduler's role else does.
    expect(dispatch.Properties.Environment.Variables.DISPATCH_QUEUE_URL).toEqual({ Ref: expect.stringMatching(/^SchedulingDispatchQueue/) });
    const senders = statements(dev.json)
      .filter((s) => s.Action.includes('sqs:SendMessage') && JSON.stringify(s.Resource).includes('SchedulingDispatchQueue'))
      .map((s) => s.policy.replace(/Role.*/, ''))
      .sort();
    expect(senders).toEqual(['Dispatch', 'SchedulingScheduler']);
  });

  it('feeds the jobs function one step at a time from the jobs queue, which outwaits a step six times over and dead-letters a step after five tries', () => {
    const jobs = functionOf(dev.json, 'Jobs');
    const [[, queue]] = resources(dev.json, 'AWS::SQS::Queue').filter(([id]) => id.startsWith('JobsQueue')) as [[string, any]];
    expect(jobs.Properties.Timeout).toBe(120);
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * jobs.Properties.Timeout);
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^SchedulingDeadLetters/), 'Arn'] }, maxReceiveCount: 5 },
    });
    // Requests without TLS are refused by its queue policy: cdk-nag's AwsSolutions-SQS4 holds it to that.
    expectFed('JobsQueue', 'Jobs', 1, 2);
    for (const name of ['Api', 'Reconciler', 'Jobs']) {
      expect(functionOf(dev.json, name).Properties.Environment.Variables.JOBS_QUEUE_URL, name).toEqual({ Ref: expect.stringMatching(/^JobsQueue/) });
    }
  });

  it('feeds the webhooks function from the webhooks queue, which outwaits an invocation six times over, and never lets a webhook call loopback', () => {
    const webhooks = functionOf(dev.json, 'Webhooks');
    const [[, queue]] = resources(dev.json, 'AWS::SQS::Queue').filter(([id]) => id.startsWith('WebhooksQueue')) as [[string, any]];
    expect(webhooks.Properties.Timeout).toBe(30);
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * webhooks.Properties.Timeout);
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^SchedulingDeadLetters/), 'Arn'] }, maxReceiveCount: 5 },
    });
    expectFed('WebhooksQueue', 'Webhooks', 10, 5);
    for (const name of ['Api', 'Dispatch', 'SesEvents', 'Jobs', 'Webhooks']) {
      const variables = functionOf(dev.json, name).Properties.Environment.Variables;
      expect(variables.WEBHOOKS_QUEUE_URL, name).toEqual({ Ref: expect.stringMatching(/^WebhooksQueue/) });
    }
    for (const [, fn] of resources(prod.json, 'AWS::Lambda::Function')) {
      expect(fn.Properties.Environment?.Variables ?? {}).not.toHaveProperty('WEBHOOK_LOCAL_RECEIVER');
    }
    const onWebhooksQueue = statements(dev.json).filter((s) => JSON.stringify(s.Resource).includes('WebhooksQueue'));
    const holders = (action: string) =>
      [...new Set(onWebhooksQueue.filter((s) => s.Action.includes(action)).map((s) => s.policy.replace(/Role.*/, '')))].sort();
    expect(holders('sqs:SendMessage')).toEqual(['Api', 'Dispatch', 'Jobs', 'Reconciler', 'SesEvents', 'Webhooks']);
    expect(holders('sqs:ReceiveMessage')).toEqual(['Webhooks']);
  });

  it('hands the dead-letter queue, the group, the role and the retry policy to the schedules the api creates', () => {
    expect(functionOf(dev.json, 'Api').Properties.Environment.Variables).toMatchObject({
      SCHEDULE_GROUP: 'frist-dev',
      SCHEDULER_DLQ_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^SchedulingDeadLetters/), 'Arn'] },
      SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^SchedulingSchedulerRole/), 'Arn'] },
      DISPATCH_QUEUE_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^SchedulingDispatchQueue/), 'Arn'] },
      DISPATCH_FAIR_QUEUE_URL: { Ref: expect.stringMatching(/^SchedulingDispatchQueue/) },
      SCHEDULE_MAX_RETRIES: '185',
      SCHEDULE_MAX_EVENT_AGE_SECONDS: '86400',
      TENANT_CLAIM: 'custom:tenant_id',
    });
    dev.template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'frist-dev' });
  });

  it('runs the reconciler every 15 minutes', () => {
    dev.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)' });
  });
});

describe('IAM', () => {
  it('grants no wildcard action anywhere', () => {
    for (const s of statements(dev.json)) for (const action of s.Action) expect(action, s.policy).not.toMatch(/\*/);
  });

  it('scopes the table actions to the table and its indexes', () => {
    const tableStatements = statements(dev.json).filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')));
    expect(tableStatements.length).toBeGreaterThan(0);
    for (const s of tableStatements) {
      expect(JSON.stringify(s.Resource)).toMatch(/StorageTable/);
      expect(s.Resource).not.toContain('*');
    }
  });

  it('lets only the api, the reconciler and the jobs function manage schedules, only in the group, and pass only the Scheduler role', () => {
    const scheduleStatements = statements(dev.json).filter((s) => s.Action.some((a) => a.startsWith('scheduler:') && a !== 'scheduler:ListSchedules'));
    expect(new Set(scheduleStatements.map((s) => s.policy.replace(/Role.*/, '')))).toEqual(new Set(['Api', 'Reconciler', 'Jobs']));
    for (const s of scheduleStatements) expect(JSON.stringify(s.Resource)).toContain(':schedule/frist-dev/*');
    const passRoles = statements(dev.json).filter((s) => s.Action.includes('iam:PassRole'));
    expect(passRoles).toHaveLength(3);
    for (const s of passRoles) {
      expect(JSON.stringify(s.Resource)).toMatch(/SchedulingSchedulerRole/);
      expect(s.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    }
  });

  it('lets only the api, the reconciler and the jobs function send to the jobs queue, and only the jobs function read it', () => {
    const onJobsQueue = statements(dev.json).filter((s) => JSON.stringify(s.Resource).includes('JobsQueue'));
    const holders = (action: string) =>
      onJobsQueue
        .filter((s) => s.Action.includes(action))
        .map((s) => s.policy.replace(/Role.*/, ''))
        .sort();
    expect(holders('sqs:SendMessage')).toEqual(['Api', 'Jobs', 'Reconciler']);
    expect(holders('sqs:ReceiveMessage')).toEqual(['Jobs']);
  });

  it('lets the Scheduler role send to the dispatch queue and the dead-letter queue, nothing else', () => {
    const statements = policyOf(dev.json, 'SchedulingSchedulerRole');
    expect(statements.flatMap((s) => s.Action)).toEqual(['sqs:SendMessage']);
    expect(JSON.stringify(statements[0]!.Resource)).toMatch(/SchedulingDispatchQueue.*SchedulingDeadLetters/);
  });

  it('scopes documents to tenants/ of the bucket and secrets to the stage prefix', () => {
    for (const s of statements(dev.json).filter((x) => x.Action.some((a) => a.startsWith('s3:')))) {
      expect(JSON.stringify(s.Resource)).toMatch(/StorageDocuments.*\/tenants\/\*/);
    }
    const secrets = statements(dev.json).filter((x) => x.Action.some((a) => a.startsWith('secretsmanager:')));
    expect(new Set(secrets.map((s) => s.policy.replace(/Role.*/, '')))).toEqual(new Set(['Api', 'Dispatch', 'Webhooks']));
    for (const s of secrets) expect(JSON.stringify(s.Resource)).toContain(':secret:frist/dev/tenants/*');
    expect(policyOf(dev.json, 'DispatchRole').find((s) => s.Action.includes('secretsmanager:GetSecretValue'))).toBeDefined();
    expect(policyOf(dev.json, 'WebhooksRole').find((s) => s.Action.includes('secretsmanager:GetSecretValue'))).toBeDefined();
    expect(policyOf(dev.json, 'WebhooksRole').some((s) => s.Action.some((a) => a.startsWith('secretsmanager:') && a !== 'secretsmanager:GetSecretValue'))).toBe(
      false,
    );
    // The api reads webhook secrets only (a retried create answers the first secret), never an SMS password.
    const apiReads = policyOf(dev.json, 'ApiRole').filter((s) => s.Action.includes('secretsmanager:GetSecretValue'));
    expect(apiReads.map((s) => JSON.stringify(s.Resource))).toEqual([expect.stringContaining(':secret:frist/dev/tenants/*/webhook-*')]);
  });

  it('lets only dispatch send e-mail, from the configured identity and configuration set', () => {
    const ses = statements(dev.json).filter((s) => s.Action.some((a) => a.startsWith('ses:')));
    expect(ses).toHaveLength(1);
    expect(ses[0]!.policy).toMatch(/^DispatchRole/);
    expect(JSON.stringify(ses[0]!.Resource)).toContain('identity/frist.example');
    const prodSes = statements(prod.json).find((s) => s.Action.includes('ses:SendRawEmail'))!;
    expect(JSON.stringify(prodSes.Resource)).toMatch(/identity\/frist\.example[\s\S]*identity\/tallogtid\.no/);
    expect(JSON.stringify(ses[0]!.Resource)).toMatch(/configuration-set\/",\{"Ref":"EmailEventsConfigurationSet/);
    dev.template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'frist-dev' });
  });

  it('allows `*` resources only where IAM has no resource-level permissions (X-Ray, ListSchedules)', () => {
    for (const s of statements(dev.json).filter((x) => x.Resource.includes('*'))) {
      for (const action of s.Action) expect(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'scheduler:ListSchedules']).toContain(action);
    }
  });
});

describe('data protection', () => {
  it('encrypts, versions and blocks public access to the document bucket, and refuses plain HTTP', () => {
    const [[id, bucket]] = resources(dev.json, 'AWS::S3::Bucket').filter(([logical]) => logical.startsWith('StorageDocuments')) as [[string, any]];
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 90 }] })] },
    });
    dev.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('encrypts the table, the dead-letter queue and the SES events topic', () => {
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
    dev.template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    dev.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('publishes the SES delivery, bounce and complaint events of the configuration set to the ses-events function', () => {
    dev.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({ MatchingEventTypes: ['bounce', 'complaint', 'delivery'] }),
    });
  });

  it('creates the indexes the code queries', () => {
    const [[, table]] = resources(dev.json, 'AWS::DynamoDB::Table') as [[string, any]];
    const indexes = table.Properties.GlobalSecondaryIndexes as { IndexName: string; Projection: { ProjectionType: string } }[];
    expect(indexes.map((i) => i.IndexName).sort()).toEqual(['gsi10', 'gsi3', 'gsi5', 'gsi6', 'gsi7', 'gsi8', 'gsi9']);
    // The task indexes hold keys only (the due index what the reconciler decides by): an entry
    // is written when what it holds changes, not on every save of the task.
    for (const name of ['gsi6', 'gsi7', 'gsi8', 'gsi9']) expect(indexes.find((i) => i.IndexName === name)?.Projection.ProjectionType).toBe('KEYS_ONLY');
    expect(indexes.find((i) => i.IndexName === 'gsi10')?.Projection).toEqual({
      ProjectionType: 'INCLUDE',
      NonKeyAttributes: ['id', 'version', 'plan', 'schedulesConfirmed'],
    });
  });

  it('upgrades a table of the earlier layout one index at a time, each step deployable after the one before', () => {
    const names = (step: number) => indexesAtUpgradeStep(step).map((index) => `${index.name} ${index.projection}`);
    expect(names(0).sort()).toEqual(['gsi1 ALL', 'gsi2 ALL', 'gsi3 ALL', 'gsi4 ALL', 'gsi5 ALL', 'gsi6 KEYS_ONLY', 'gsi7 KEYS_ONLY']);
    for (let step = 1; step <= INDEX_UPGRADE_STEPS; step += 1) {
      const [before, after] = [new Set(names(step - 1)), new Set(names(step))];
      const changed = [...before].filter((i) => !after.has(i)).length + [...after].filter((i) => !before.has(i)).length;
      expect(changed, `step ${step}`).toBe(1);
    }
    const stack = new Stack(new App());
    new Storage(stack, 'Storage', { retainData: false, documentsToInfrequentAccessDays: 90, indexUpgradeStep: 1 });
    const [[, table]] = resources(Template.fromStack(stack).toJSON(), 'AWS::DynamoDB::Table') as [[string, any]];
    const stepped = (table.Properties.GlobalSecondaryIndexes as { IndexName: string }[]).map((i) => i.IndexName);
    expect(stepped.sort()).toEqual(['gsi1', 'gsi2', 'gsi3', 'gsi4', 'gsi5', 'gsi6', 'gsi7', 'gsi8']);
  });

  it("lets DynamoDB expire the SMS caps' counters by their TTL attribute", () => {
    const [[, table]] = resources(dev.json, 'AWS::DynamoDB::Table') as [[string, any]];
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('retains data and protects the table from deletion in prod', () => {
    const [[, table]] = resources(prod.json, 'AWS::DynamoDB::Table') as [[string, any]];
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    for (const [, bucket] of resources(prod.json, 'AWS::S3::Bucket')) expect(bucket.DeletionPolicy).toBe('Retain');
    const [[, pool]] = resources(prod.json, 'AWS::Cognito::UserPool') as [[string, any]];
    expect(pool.DeletionPolicy).toBe('Retain');
  });

  it('lets a dev stage be torn down', () => {
    const [[, table]] = resources(dev.json, 'AWS::DynamoDB::Table') as [[string, any]];
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.Properties.DeletionProtectionEnabled).toBe(false);
  });
});

describe('the HTTP API', () => {
  it('puts a JWT authorizer on every route but /health, /openapi.json, the reference page with its files and the SMS gateway callbacks', () => {
    const routes = resources(dev.json, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    const open = routes
      .filter((r) => r.AuthorizationType !== 'JWT')
      .map((r) => r.RouteKey)
      .sort();
    expect(open).toEqual(
      [
        'GET /docs',
        'GET /docs/start.js',
        'GET /docs/swagger-ui-bundle.js',
        'GET /docs/swagger-ui.css',
        'GET /health',
        'GET /openapi.json',
        // Authenticated by the firm's secret in the path (shared/use-cases/sms-gateway.ts).
        'GET /sms-gateway/sveve/{tenantId}/{secret}/inbound',
        'GET /sms-gateway/sveve/{tenantId}/{secret}/receipt',
        'POST /sms-gateway/generic/{tenantId}/{secret}/inbound',
        'POST /sms-gateway/generic/{tenantId}/{secret}/receipt',
        'POST /sms-gateway/sveve/{tenantId}/{secret}/inbound',
        'POST /sms-gateway/sveve/{tenantId}/{secret}/receipt',
      ].sort(),
    );
    expect(
      routes
        .filter((r) => r.AuthorizationType === 'JWT')
        .map((r) => r.RouteKey)
        .sort(),
    ).toEqual(['DELETE /{proxy+}', 'GET /{proxy+}', 'PATCH /{proxy+}', 'POST /{proxy+}', 'PUT /{proxy+}']);
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
  });

  it('outputs the base of the SMS gateway callback URLs, and tells the api function the gateway protocol', () => {
    expect(dev.json.Outputs.SmsGatewayUrlBase.Value['Fn::Join'][1].at(-1)).toMatch(/sms-gateway\/(generic|sveve)\/$/);
    dev.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'The Frist HTTP API',
      Environment: { Variables: Match.objectLike({ SMS_PROVIDER: Match.anyValue() }) },
    });
  });

  it("stops the api function at 15 s, under the HTTP API's 30 s, as the local API gateway does (one constant)", () => {
    expect(functionOf(dev.json, 'Api').Properties.Timeout).toBe(15);
    expect(API_FUNCTION.timeoutSeconds).toBe(15);
  });

  it('throttles by default and writes access logs', () => {
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
  });

  it("allows CORS only from the configured origins and the web app's", () => {
    const distribution = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^WebDistribution/), 'DomainName'] }]] };
    const allowed = (json: Record<string, any>) => resources(json, 'AWS::ApiGatewayV2::Api')[0]![1].Properties.CorsConfiguration.AllowOrigins;
    expect(allowed(prod.json)).toEqual(['https://app.tallogtid.no', distribution]);
    expect(allowed(dev.json)).toEqual([distribution]);
  });

  it('outputs the app and API URLs, user pool and client ids, bucket and table names', () => {
    expect(Object.keys(dev.json.Outputs).sort()).toEqual(
      ['ApiUrl', 'AppUrl', 'DocumentBucketName', 'SchedulesDeadLetterQueueUrl', 'SmsGatewayUrlBase', 'TableName', 'UserPoolClientId', 'UserPoolId'].sort(),
    );
  });
});

describe('alarms', () => {
  /** The stack's alarms by the logical id's start: what each watches, when it fires, whom it tells. */
  const alarm = (json: Record<string, any>, idStart: string) => {
    const found = resources(json, 'AWS::CloudWatch::Alarm').filter(([id]) => id.startsWith(idStart));
    expect(
      found.map(([id]) => id),
      idStart,
    ).toHaveLength(1);
    return found[0]![1].Properties;
  };
  const ALARMS = [
    // [logical id start, namespace, metric, dimensions (name: value or logical id start), statistic, period, threshold]
    ['DeliveryAlarmsNoticeFailedAlarm', 'Frist', 'NoticeFailed', { service: 'frist-dispatch' }, 'Sum', 300, 1],
    ['DeliveryAlarmsNoticesOverdueAlarm', 'Frist', 'NoticesOverdue', { service: 'frist-reconciler' }, 'Maximum', 900, 1],
    ['DeliveryAlarmsSmsRateLimitedAlarm', 'Frist', 'SmsRateLimited', { service: 'frist-dispatch' }, 'Sum', 300, 1],
    ['DeliveryAlarmsSmsCapRaiseRequestedAlarm', 'Frist', 'SmsCapRaiseRequested', { service: 'frist-api' }, 'Sum', 300, 1],
    ['DeliveryAlarmsSmsCountryRefusedAlarm', 'Frist', 'NoticeSkipped', { service: 'frist-dispatch', Reason: 'country-not-allowed' }, 'Sum', 300, 10],
    ['SchedulingDeadLettersAlarm', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: 'SchedulingDeadLetters' }, 'Maximum', 300, 1],
    ['SchedulingDispatchDelayedAlarm', 'AWS/SQS', 'ApproximateAgeOfOldestMessage', { QueueName: 'SchedulingDispatchQueue' }, 'Maximum', 300, 900],
    ['DispatchErrorsAlarm', 'AWS/Lambda', 'Errors', { FunctionName: 'DispatchFunction' }, 'Sum', 300, 5],
  ] as const;

  it.each(ALARMS)(
    '%s watches %s %s at or above its threshold, and treats missing data as fine',
    (id, namespace, metric, dimensions, statistic, period, threshold) => {
      const props = alarm(prod.json, id);
      expect(props).toMatchObject({
        Namespace: namespace,
        MetricName: metric,
        Statistic: statistic,
        Period: period,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      const actual = Object.fromEntries(
        props.Dimensions.map((d: { Name: string; Value: unknown }) => [d.Name, typeof d.Value === 'string' ? d.Value : JSON.stringify(d.Value)]),
      );
      for (const [name, value] of Object.entries(dimensions)) expect(actual[name]).toContain(value);
      expect(Object.keys(actual).sort()).toEqual(Object.keys(dimensions).sort());
    },
  );

  it('keeps the overdue alarm up between two reconciler runs: one breaching run of the last two', () => {
    expect(alarm(prod.json, 'DeliveryAlarmsNoticesOverdueAlarm')).toMatchObject({ EvaluationPeriods: 2, DatapointsToAlarm: 1 });
    expect(alarm(prod.json, 'DeliveryAlarmsNoticeFailedAlarm')).toMatchObject({ EvaluationPeriods: 1 });
  });

  it('e-mails every alarm through the alarm topic when alarmEmail is set, and has no topic without it', () => {
    const [[topic]] = resources(prod.json, 'AWS::SNS::Topic').filter(([id]) => id.startsWith('Alarms')) as [[string, any]];
    for (const [id] of ALARMS) expect(alarm(prod.json, id).AlarmActions, id).toEqual([{ Ref: topic }]);
    prod.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'drift@tallogtid.no', TopicArn: { Ref: topic } });
    expect(resources(dev.json, 'AWS::SNS::Topic').filter(([id]) => id.startsWith('Alarms'))).toEqual([]);
    for (const [id] of ALARMS) expect(alarm(dev.json, id).AlarmActions, id).toBeUndefined();
  });

  it('needs no CloudWatch grant: the metrics leave as log lines (embedded metric format)', () => {
    for (const s of statements(dev.json)) for (const action of s.Action) expect(action, s.policy).not.toMatch(/^cloudwatch:/);
  });
});

describe('cdk-nag', () => {
  it.each([['dev'], ['prod']])('leaves no unacknowledged finding in %s, and every acknowledgement has a reason', (stage) => {
    const { validation } = stage === 'dev' ? dev : prod;
    expect(validation.pluginReports.map((p) => p.pluginName)).toEqual(expect.arrayContaining(['AwsSolutions', 'Serverless']));
    for (const report of validation.pluginReports) {
      expect(report.violations, report.pluginName).toEqual([]);
      expect(report.conclusion).toBe('success');
      for (const s of report.suppressedViolations) expect(s.reason.length, s.ruleName).toBeGreaterThan(40);
    }
  });
});

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const hasCfnLint = cfnLint.status === 0;
if (!hasCfnLint) console.log('cfn-lint is not installed here: the cfn-lint check of the synthesized templates is skipped.');

describe('cfn-lint', () => {
  it.skipIf(!hasCfnLint).each([['dev'], ['prod']])('finds no error in the %s template', (stage) => {
    const file = join(mkdtempSync(join(tmpdir(), 'frist-cfn-')), `${stage}.json`);
    writeFileSync(file, JSON.stringify((stage === 'dev' ? dev : prod).json));
    // Exit codes: 0 clean, 2 errors, 4 warnings, 8 informational; only errors fail.
    const result = spawnSync('cfn-lint', [file], { encoding: 'utf8' });
    expect(result.status! & 2, result.stdout).toBe(0);
  });
});

describe('bad configuration', () => {
  it('stops synth with a message naming the key', () => {
    expect(() => synth({ stage: 'Prod!', smsBaseUrl: 'http://insecure.example', packTaskNotices: 'off' })).toThrow(
      /stage: must be 1-16 of a-z 0-9 -[\s\S]*smsBaseUrl: must be an https:\/\/ URL[\s\S]*packTaskNotices: must be true or false/,
    );
  });
});
