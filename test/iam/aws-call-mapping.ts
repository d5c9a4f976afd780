import type { FunctionName } from '../../local/aws-call-recording.ts';
import type { RecordedCall } from './aws-call-log.ts';
import type { Need } from './iam-policy.ts';
import { ACCOUNT, logicalIdOf, nameOf, REGION, type Template } from './template-roles.ts';

/** Each function the suites run, by its local name, and its FristFunction construct in cdk/frist-stack.ts. */
export const FUNCTIONS: Record<FunctionName, string> = {
  api: 'Api',
  dispatch: 'Dispatch',
  reconciler: 'Reconciler',
  'ses-events': 'SesEvents',
  jobs: 'Jobs',
  webhooks: 'Webhooks',
};

/**
 * The local stack's names and what they are in the synthesized dev stage. A string is the
 * stage's own name; `{ resource }` is a resource CloudFormation names on AWS, given by its
 * logical id without CDK's hash (the template's logical id stands for its name).
 */
export const LOCAL_TO_DEV = {
  table: { 'frist-local': { resource: 'StorageTable' } },
  bucket: { 'frist-documents-local': { resource: 'StorageDocuments' } },
  role: { 'frist-scheduler-local': { resource: 'SchedulingSchedulerRole' } },
  queue: {
    'frist-dispatch-local': { resource: 'SchedulingDispatchQueue' },
    'frist-jobs-local': { resource: 'JobsQueue' },
    'frist-webhooks-local': { resource: 'WebhooksQueue' },
  } as Record<string, { resource: string }>,
  scheduleGroup: { frist: 'frist-dev' },
  secretsPrefix: { 'frist/local/': 'frist/dev/' },
  configurationSet: { 'frist-local': 'frist-dev' },
  // The local default sender's domain, and the domain of the firm's own sender the suites
  // use: a deployment lists such domains in sesIdentity (README, Deploy), so the check does.
  emailDomain: {
    'frist.local': 'frist.example',
    'tallogtid.example': 'tallogtid.example',
    // The firms' own senders of test/attack13.
    'sist.example': 'sist.example',
    'tid.example': 'tid.example',
    'poison.example': 'poison.example',
    // ... and of test/attack14.
    'merke.example': 'merke.example',
    'korrupt.example': 'korrupt.example',
    // ... and of test/integration/send-deadline.test.ts.
    'fristen.example': 'fristen.example',
  },
} satisfies Record<string, Record<string, string | { resource: string }>>;

export type Kind = keyof typeof LOCAL_TO_DEV;
/** A local name of a kind, as it is in the dev stage. */
export type DevNames = (kind: Kind, local: string) => string;

export function devNames(template: Template): DevNames {
  return (kind, local) => {
    const table: Record<string, string | { resource: string }> = LOCAL_TO_DEV[kind];
    // A prefix (the secrets') maps whatever follows it along.
    const key = kind === 'secretsPrefix' ? Object.keys(table).find((prefix) => local.startsWith(prefix)) : local;
    const dev = key === undefined ? undefined : table[key];
    if (dev === undefined) throw new Error(`no dev-stage counterpart of the local ${kind} ${local}: add it to LOCAL_TO_DEV`);
    const name = typeof dev === 'string' ? dev : nameOf(template, logicalIdOf(template, dev.resource));
    return `${name}${local.slice(key!.length)}`;
  };
}

type Input = Record<string, string>;

interface ServiceMapping {
  /** The IAM service prefix: a command's action is `<prefix>:<command without Command>`... */
  prefix: string;
  /** ...unless it is listed here (a different action, or more than one). */
  actions?: Record<string, string[]>;
  /** The ARNs the command touches, as on AWS; the action must be allowed on each. */
  resources(command: string, input: Input, dev: DevNames): string[];
  /** What else the command needs allowed, such as passing a role. */
  also?(command: string, input: Input, dev: DevNames): Need[];
}

const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const lastSegment = (value: string | undefined) => (value ?? '').split(/[/:]/).pop() ?? '';

/**
 * How the commands of each AWS SDK client (by `context.clientName`) map to IAM actions and
 * resources. A new client gets an entry here, and its local names a line in LOCAL_TO_DEV;
 * a call of a client missing here fails the check, naming it.
 */
export const SERVICES: Record<string, ServiceMapping> = {
  DynamoDBClient: {
    prefix: 'dynamodb',
    // A query of an index is authorized on the index.
    resources: (_, input, dev) => [arn('dynamodb', `table/${dev('table', input.TableName!)}${input.IndexName ? `/index/${input.IndexName}` : ''}`)],
  },
  S3Client: {
    prefix: 's3',
    resources: (_, input, dev) => [`arn:aws:s3:::${dev('bucket', input.Bucket!)}/${input.Key}`],
  },
  SecretsManagerClient: {
    prefix: 'secretsmanager',
    // AWS ends a secret's ARN with `-` and six random characters.
    resources: (_, input, dev) => [arn('secretsmanager', `secret:${dev('secretsPrefix', (input.SecretId ?? input.Name)!)}-AbC123`)],
  },
  SchedulerClient: {
    prefix: 'scheduler',
    // ListSchedules has no resource-level permission: IAM checks it on `*`.
    resources: (command, input, dev) =>
      command === 'ListSchedulesCommand' ? ['*'] : [arn('scheduler', `schedule/${dev('scheduleGroup', input.GroupName ?? 'default')}/${input.Name}`)],
    // Creating or updating a schedule passes its target's role to the Scheduler.
    also: (command, input, dev) =>
      command === 'CreateScheduleCommand' || command === 'UpdateScheduleCommand'
        ? [
            {
              action: 'iam:PassRole',
              resource: `arn:aws:iam::${ACCOUNT}:role/${dev('role', lastSegment(input['Target.RoleArn']))}`,
              context: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
            },
          ]
        : [],
  },
  SESv2Client: {
    prefix: 'ses',
    // SES v2 SendEmail with raw content is authorized as ses:SendRawEmail (its AccessDenied
    // names that action); AWS documents ses:SendEmail for the operation, so both are needed.
    actions: { SendEmailCommand: ['ses:SendEmail', 'ses:SendRawEmail'] },
    // The From's identity (Frist verifies domains) and the configuration set, when one is used.
    resources: (_, input, dev) => [
      arn('ses', `identity/${dev('emailDomain', /@([^>\s]+)>?$/.exec(input.FromEmailAddress ?? '')?.[1] ?? '')}`),
      ...(input.ConfigurationSetName ? [arn('ses', `configuration-set/${dev('configurationSet', input.ConfigurationSetName)}`)] : []),
    ],
  },
  SQSClient: {
    prefix: 'sqs',
    // SendMessageBatch has no action of its own: sqs:SendMessage allows it (Amazon SQS
    // Developer Guide, "Amazon SQS batch actions").
    actions: { SendMessageBatchCommand: ['sqs:SendMessage'] },
    // A queue URL ends in the queue's name; map the local queue's name in LOCAL_TO_DEV.queue.
    resources: (_, input, dev) => [arn('sqs', dev('queue', lastSegment(input.QueueUrl)))],
  },
};

/** Everything IAM must allow for one recorded call. Throws when the call cannot be mapped. */
export function needsOf(call: RecordedCall, dev: DevNames): Need[] {
  const service = SERVICES[call.service];
  if (!service) throw new Error(`no IAM mapping for the client ${call.service}: add it to SERVICES`);
  const actions = service.actions?.[call.command] ?? [`${service.prefix}:${call.command.replace(/Command$/, '')}`];
  const resources = service.resources(call.command, call.input, dev);
  return [...actions.flatMap((action) => resources.map((resource) => ({ action, resource }))), ...(service.also?.(call.command, call.input, dev) ?? [])];
}
