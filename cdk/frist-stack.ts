import { Annotations, CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { API_FUNCTION } from '../shared/api-function.ts';
import { DISPATCH_QUEUE } from '../shared/dispatch-queue.ts';
import { JOBS_QUEUE } from '../shared/jobs-queue.ts';
import { WEBHOOKS_QUEUE } from '../shared/webhooks-queue.ts';
import { TABLE, type TableIndex } from '../shared/adapters/table-layout.ts';
import { GATEWAY_PATH_PREFIX } from '../shared/use-cases/sms-gateway.ts';
import { VIEWER_PACKAGE, VIEWER_PACKAGE_FILES } from '../functions/api/docs-viewer.ts';
import { DeliveryAlarms } from './constructs/alarms.ts';
import { EmailEvents } from './constructs/email-events.ts';
import { FristFunction } from './constructs/frist-function.ts';
import { FristHttpApi } from './constructs/http-api.ts';
import { Scheduling, workQueue } from './constructs/scheduling.ts';
import { Storage } from './constructs/storage.ts';
import { apiGatewayOrigins, WebApp } from './constructs/web-app.ts';
import { WebSignIn } from './constructs/web-sign-in.ts';
import { acknowledgeFindings } from './nag-acknowledgements.ts';
import type { StackConfig } from './stack-config.ts';

/** Schedules are immutable (shared/domain/schedule-names.ts): created and deleted, never updated. */
const SCHEDULE_WRITE = ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'];

/** How often the reconciler runs; the overdue alarm's period is one run. */
const RECONCILE_EVERY = Duration.minutes(15);

/** Frist as one stack: the api, dispatch, reconciler, SES-events, jobs and webhooks functions and what they use. */
export class FristStack extends Stack {
  constructor(scope: Construct, id: string, config: StackConfig, props: StackProps = {}) {
    super(scope, id, { description: `Frist deadline notices (${config.stage})`, ...props });

    // cdk.json carries example values so that a bare `cdk synth` works; a real deployment sets its own.
    for (const [key, value] of Object.entries({
      sesIdentity: config.sesIdentity.join(','),
      emailDefaultFrom: config.emailDefaultFrom,
      smsBaseUrl: config.smsBaseUrl,
    })) {
      if (/example\.com/.test(value)) {
        Annotations.of(this).addWarningV2(`frist:placeholder-${key}`, `${key} is the placeholder ${value} from cdk.json: set your own with -c ${key}=...`);
      }
    }

    const storage = new Storage(this, 'Storage', config);
    const scheduling = new Scheduling(this, 'Scheduling', { stage: config.stage });
    const secretsPrefix = `frist/${config.stage}`;
    const secretArns = [FristFunction.arnOf(this, 'secretsmanager', `secret:${secretsPrefix}/tenants/*`)];
    const tableArn = storage.table.tableArn;
    const common = { logRetentionDays: config.logRetentionDays, retainLogs: config.retainData };
    // Events to the firms' webhooks (shared/webhooks-queue.ts): published by dispatch, the api
    // (receipts, STOPP, pings), ses-events, jobs and the reconciler (a job it gives up); read
    // by the webhooks function, which sends each next attempt back with a delay.
    const webhooksQueue = workQueue(this, 'WebhooksQueue', WEBHOOKS_QUEUE, scheduling.deadLetters);
    // WEBHOOK_LOCAL_RECEIVER is never set here: on AWS a webhook is HTTPS to a public address only.
    // What a firm's SMS caps may be: the api refuses more, dispatch never uses more.
    const smsCeiling = {
      SMS_CEILING_PER_DAY: String(config.smsCeilingPerDay),
      SMS_CEILING_PER_NUMBER_PER_HOUR: String(config.smsCeilingPerNumberPerHour),
      SMS_CEILING_COUNTRIES: config.smsCeilingCountries,
    };
    const base = {
      TABLE_NAME: storage.table.tableName,
      DOCUMENT_BUCKET: storage.documents.bucketName,
      SECRETS_PREFIX: secretsPrefix,
      WEBHOOKS_QUEUE_URL: webhooksQueue.queueUrl,
      // Whether saves of a task write its notices packed; ses-events and webhooks touch no task.
      PACK_TASK_NOTICES: String(config.packTaskNotices),
    };

    const dispatch = new FristFunction(this, 'Dispatch', {
      ...common,
      name: 'dispatch',
      description: 'Sends the notice occurrences of the dispatch queue',
      timeout: Duration.seconds(DISPATCH_QUEUE.functionTimeoutSeconds),
      environment: {
        ...base,
        SES_CONFIGURATION_SET: `frist-${config.stage}`,
        EMAIL_DEFAULT_FROM: config.emailDefaultFrom,
        SMS_PROVIDER: config.smsProvider,
        SMS_BASE_URL: config.smsBaseUrl,
        SMS_DEFAULT_SENDER: config.smsDefaultSender,
        SMS_DEPLOYMENT_PER_DAY: String(config.smsDeploymentPerDay),
        SES_SENDS_PER_SECOND: String(config.sesSendsPerSecond),
        SMS_SENDS_PER_SECOND: String(config.smsSendsPerSecond),
        ...smsCeiling,
        CLAIM_LEASE_SECONDS: String(DISPATCH_QUEUE.claimLeaseSeconds),
        // A notice the send rate alone keeps waiting goes back to its queue afresh (functions/dispatch/pacing-requeue.ts).
        DISPATCH_QUEUE_URL: scheduling.dispatchQueue.queueUrl,
      },
    });
    // The steps of background jobs (shared/jobs-queue.ts): a step that keeps failing goes to the
    // stack's one dead-letter queue, whose alarm fires.
    const jobsQueue = workQueue(this, 'JobsQueue', JOBS_QUEUE, scheduling.deadLetters);
    const scheduleEnvironment = {
      ...base,
      JOBS_QUEUE_URL: jobsQueue.queueUrl,
      SCHEDULE_GROUP: scheduling.groupName,
      DISPATCH_QUEUE_ARN: scheduling.dispatchQueue.queueArn,
      // Schedules name the firm as their message's group: the dispatch queue is a fair queue.
      DISPATCH_FAIR_QUEUE_URL: scheduling.dispatchQueue.queueUrl,
      SCHEDULER_ROLE_ARN: scheduling.role.roleArn,
      SCHEDULER_DLQ_ARN: scheduling.deadLetters.queueArn,
      SCHEDULE_MAX_RETRIES: '185',
      SCHEDULE_MAX_EVENT_AGE_SECONDS: '86400',
      // Whether schedules name the task's customer for dispatch (off while a dispatch that rejects it may run).
      DISPATCH_CUSTOMER_HINT: String(config.dispatchCustomerHint),
    };
    const api = new FristFunction(this, 'Api', {
      ...common,
      name: 'api',
      description: 'The Frist HTTP API',
      timeout: Duration.seconds(API_FUNCTION.timeoutSeconds),
      // SMS_PROVIDER: which gateway's callback URLs the settings show the firm; the SMS ceiling and
      // raise delay: what a save of the firm's SMS caps may ask for, and when a raise is in force.
      environment: {
        ...scheduleEnvironment,
        TENANT_CLAIM: config.tenantClaim,
        SMS_DEFAULT_SENDER: config.smsDefaultSender,
        SMS_PROVIDER: config.smsProvider,
        ...smsCeiling,
        SMS_RAISE_DELAY_HOURS: String(config.smsRaiseDelayHours),
      },
      // The reference page's viewer (GET /docs), read from its package at run time.
      packageFiles: { name: VIEWER_PACKAGE, files: VIEWER_PACKAGE_FILES },
    });
    const reconciler = new FristFunction(this, 'Reconciler', {
      ...common,
      name: 'reconciler',
      description: 'Repairs the schedules of notices due in the next hours',
      timeout: Duration.minutes(5),
      deadLetterQueue: scheduling.deadLetters,
      environment: { ...scheduleEnvironment, RECONCILE_HORIZON_HOURS: '3', RECONCILE_GRACE_MINUTES: '15' },
    });
    const jobs = new FristFunction(this, 'Jobs', {
      ...common,
      name: 'jobs',
      description: 'Runs the steps of background jobs: the re-plan after a change of time zone',
      timeout: Duration.seconds(JOBS_QUEUE.functionTimeoutSeconds),
      environment: scheduleEnvironment,
    });
    const sesEvents = new FristFunction(this, 'SesEvents', {
      ...common,
      name: 'ses-events',
      description: 'Marks addresses suppressed on SES bounces and complaints',
      timeout: Duration.seconds(30),
      memorySize: 256,
      deadLetterQueue: scheduling.deadLetters,
      environment: { TABLE_NAME: storage.table.tableName, WEBHOOKS_QUEUE_URL: webhooksQueue.queueUrl },
    });
    const webhooks = new FristFunction(this, 'Webhooks', {
      ...common,
      name: 'webhooks',
      description: "Delivers events to the firms' webhook endpoints, signed, with retries for 24 hours",
      timeout: Duration.seconds(WEBHOOKS_QUEUE.functionTimeoutSeconds),
      memorySize: 256,
      environment: { TABLE_NAME: storage.table.tableName, SECRETS_PREFIX: secretsPrefix, WEBHOOKS_QUEUE_URL: webhooksQueue.queueUrl },
    });
    const emailEvents = new EmailEvents(this, 'EmailEvents', { stage: config.stage, handler: sesEvents.fn, deadLetterQueue: scheduling.deadLetters });

    // What each function may do, and nothing more.
    const allow = (fn: FristFunction, actions: string[], resources: string[]) => fn.role.addToPolicy(new PolicyStatement({ actions, resources }));
    // Table actions as each function's code uses them; never `dynamodb:*`.
    allow(api, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], [tableArn]);
    allow(api, ['dynamodb:Query'], [tableArn, `${tableArn}/index/*`]);
    allow(api, SCHEDULE_WRITE, [scheduling.groupScheduleArn]);
    allow(api, ['s3:GetObject'], [storage.documents.arnForObjects('tenants/*')]);
    allow(api, ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'], secretArns);
    // A retried webhook create answers the secret the first attempt made: the api reads webhook secrets, no other.
    // A deleted webhook's secret is deleted with it: the api deletes webhook secrets, no other.
    allow(
      api,
      ['secretsmanager:GetSecretValue', 'secretsmanager:DeleteSecret'],
      [FristFunction.arnOf(this, 'secretsmanager', `secret:${secretsPrefix}/tenants/*/webhook-*`)],
    );
    // Dispatch reads a batch's tasks, customers and settings by BatchGetItem (shared/use-cases/batch-reads.ts).
    allow(dispatch, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], [tableArn]);
    allow(dispatch, ['s3:PutObject'], [storage.documents.arnForObjects('tenants/*')]);
    allow(dispatch, ['secretsmanager:GetSecretValue'], secretArns);
    allow(
      dispatch,
      ['ses:SendEmail', 'ses:SendRawEmail'],
      [
        ...config.sesIdentity.map((identity) => FristFunction.arnOf(this, 'ses', `identity/${identity}`)),
        FristFunction.arnOf(this, 'ses', `configuration-set/${emailEvents.configurationSet.configurationSetName}`),
      ],
    );
    // The reconciler reads settings, saves a task it re-plans (and settles what that removed),
    // moves it in the due index, queries that index and reads each due task's deliveries.
    // The stalled jobs it finds in the due index are read by key (the index projects what a task needs).
    allow(reconciler, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], [tableArn]);
    allow(reconciler, ['dynamodb:Query'], [tableArn, ...indexArns(tableArn, TABLE.indexes.due)]);
    allow(reconciler, SCHEDULE_WRITE, [scheduling.groupScheduleArn]);
    // ListSchedules takes no resource in IAM: it can only be granted on `*` (acknowledged below).
    allow(reconciler, ['scheduler:ListSchedules'], ['*']);
    // ses-events marks a customer's address suppressed: an UpdateItem, which leaves the customer's count of tasks alone.
    allow(sesEvents, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], [tableArn]);
    // A job step reads its job, its input and the settings, pages its tasks (a change of zone:
    // the by-status index; a template applied: any of the register's filters, whose clock mark
    // reads the page by BatchGetItem), saves each task (and settles what that removed), records
    // the tasks it did not do and the step.
    allow(jobs, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], [tableArn]);
    const registerIndexes = [TABLE.indexes.register, TABLE.indexes.byCustomer, TABLE.indexes.byStatusNotices, TABLE.indexes.byCustomerStatusNotices];
    allow(jobs, ['dynamodb:Query'], [tableArn, ...registerIndexes.flatMap((index) => indexArns(tableArn, index))]);
    allow(jobs, SCHEDULE_WRITE, [scheduling.groupScheduleArn]);
    // The webhooks function reads the endpoints and their secrets, records each attempt, turns a
    // failing endpoint off, and sends fan-outs and next attempts to its own queue.
    allow(webhooks, ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], [tableArn]);
    allow(webhooks, ['secretsmanager:GetSecretValue'], secretArns);
    for (const fn of [api, dispatch, sesEvents, jobs, reconciler, webhooks]) allow(fn, ['sqs:SendMessage'], [webhooksQueue.queueArn]);
    // The api sends a job's first step, the jobs function each next one, the reconciler a stalled one again.
    for (const fn of [api, reconciler, jobs]) allow(fn, ['sqs:SendMessage'], [jobsQueue.queueArn]);
    for (const fn of [api, reconciler, jobs]) {
      fn.role.addToPolicy(
        new PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [scheduling.role.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      );
    }

    // Dispatch reads the dispatch queue: a message it reports as failed comes back after the
    // visibility timeout, for hours, then goes to the dead-letter queue (shared/dispatch-queue.ts);
    // one the send rate alone has kept waiting for half of that it sends back as a new message.
    allow(dispatch, ['sqs:SendMessage'], [scheduling.dispatchQueue.queueArn]);
    dispatch.fn.addEventSource(
      new SqsEventSource(scheduling.dispatchQueue, {
        batchSize: DISPATCH_QUEUE.batchSize,
        maxConcurrency: DISPATCH_QUEUE.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    // The jobs function takes one step at a time, at most two jobs at once (shared/jobs-queue.ts).
    jobs.fn.addEventSource(
      new SqsEventSource(jobsQueue, { batchSize: JOBS_QUEUE.batchSize, maxConcurrency: JOBS_QUEUE.maxConcurrency, reportBatchItemFailures: true }),
    );
    // Attempts side by side, at most five invocations at once (shared/webhooks-queue.ts).
    webhooks.fn.addEventSource(
      new SqsEventSource(webhooksQueue, { batchSize: WEBHOOKS_QUEUE.batchSize, maxConcurrency: WEBHOOKS_QUEUE.maxConcurrency, reportBatchItemFailures: true }),
    );
    const dispatchErrors = new Alarm(this, 'DispatchErrorsAlarm', {
      alarmDescription: 'Dispatch invocations crashed or timed out (a bug, or a dependency hanging): see its logs (README, Alarms).',
      metric: dispatch.fn.metricErrors({ period: Duration.minutes(5) }),
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const deliveryAlarms = new DeliveryAlarms(this, 'DeliveryAlarms', { reconcileEvery: RECONCILE_EVERY });
    if (config.alarmEmail) {
      const alarms = new Topic(this, 'Alarms', { enforceSSL: true });
      alarms.addSubscription(new EmailSubscription(config.alarmEmail));
      Validations.of(alarms).acknowledge({
        id: 'Serverless::Serverless-SNSRedrivePolicy',
        reason: 'The e-mail subscription of alarm notices: an undeliverable alarm e-mail needs no queue, the alarm state stays in CloudWatch.',
      });
      for (const alarm of [dispatchErrors, scheduling.deadLetterAlarm, scheduling.dispatchDelayAlarm, ...deliveryAlarms.alarms])
        alarm.addAlarmAction(new SnsAction(alarms));
    }

    new Rule(this, 'Reconcile', {
      description: 'Runs the Frist reconciler every 15 minutes',
      schedule: Schedule.rate(RECONCILE_EVERY),
      targets: [new LambdaFunction(reconciler.fn, { retryAttempts: 2, deadLetterQueue: scheduling.deadLetters })],
    });

    // The web app, then the API and the sign-in client that name its origin, then its
    // config.json that names them: each refers only to what was made before it.
    const domainPrefix = config.authDomainPrefix ?? `frist-${config.stage}-${this.account}`;
    const signIn = config.jwtIssuer ? sameOrigin(config.jwtIssuer) : WebSignIn.origins(this, domainPrefix);
    const web = new WebApp(this, 'Web', {
      dist: config.webDist,
      retainData: config.retainData,
      logRetentionDays: config.logRetentionDays,
      accessLogs: storage.accessLogs,
      connectOrigins: [apiGatewayOrigins(this), ...new Set([signIn.issuer, signIn.signIn])],
      signInOrigins: [signIn.signIn],
    });
    const httpApi = new FristHttpApi(this, 'Http', { config, handler: api.fn, web: { origins: [web.url, ...config.webOrigins], domainPrefix } });
    const oidcScope = 'openid email profile';
    web.writeRuntimeConfig({
      apiUrl: httpApi.api.apiEndpoint,
      oidc: httpApi.webSignIn
        ? { authority: httpApi.webSignIn.authority, clientId: httpApi.webSignIn.clientId, scope: oidcScope, logoutUrl: httpApi.webSignIn.logoutUrl }
        : { authority: config.jwtIssuer!, clientId: config.jwtAudience!, scope: oidcScope },
    });
    new CfnOutput(this, 'AppUrl', { value: web.url });
    new CfnOutput(this, 'ApiUrl', { value: httpApi.url });
    // Each firm's own receipt and inbound-SMS URLs continue this with `<tenant id>/<secret>/receipt|inbound`;
    // GET /settings shows them whole (smsGateway).
    new CfnOutput(this, 'SmsGatewayUrlBase', {
      value: `${httpApi.url}${GATEWAY_PATH_PREFIX.slice(1)}${config.smsProvider}/`,
      description: "The base of the firms' SMS gateway callback URLs; each firm's whole URLs are in its settings (GET /settings, smsGateway)",
    });
    if (httpApi.userPoolId) new CfnOutput(this, 'UserPoolId', { value: httpApi.userPoolId });
    if (httpApi.userPoolClientId) new CfnOutput(this, 'UserPoolClientId', { value: httpApi.userPoolClientId });
    new CfnOutput(this, 'DocumentBucketName', { value: storage.documents.bucketName });
    new CfnOutput(this, 'TableName', { value: storage.table.tableName });
    new CfnOutput(this, 'SchedulesDeadLetterQueueUrl', { value: scheduling.deadLetters.queueUrl });

    acknowledgeFindings(this, {
      api,
      dispatch,
      reconciler,
      sesEvents,
      jobs,
      webhooks,
      deadLetters: scheduling.deadLetters,
      publicRoutes: httpApi.publicRoutes,
      userPool: httpApi.userPool,
      web,
    });
  }
}

/** An existing issuer (jwtIssuer): its own origin serves discovery, keys, sign-in and token. */
/** An index's ARN, and that of the index it replaces, which its queries read while it is being built (table-layout.ts). */
function indexArns(tableArn: string, index: TableIndex): string[] {
  return [index.name, ...('replaces' in index ? [index.replaces] : [])].map((name) => `${tableArn}/index/${name}`);
}

function sameOrigin(issuer: string): { issuer: string; signIn: string } {
  const { origin } = new URL(issuer);
  return { issuer: origin, signIn: origin };
}
