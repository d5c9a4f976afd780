import * as z from 'zod';
import { DISPATCH_QUEUE } from './dispatch-queue.ts';

const Arn = z.string().regex(/^arn:[\w-]+:[\w-]+:[\w-]*:\d*:.+$/, { error: 'must be an ARN' });
const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * The deployment's configuration, read from the environment once, at cold start. A missing
 * or malformed variable stops the process with a message naming it, instead of failing
 * later on the first request that needs it. Nothing else reads `process.env`.
 *
 * Variables that only some functions use are optional here; the composition root asks for
 * them with `required()` when it builds the port that needs them, still at cold start.
 */
/**
 * The longest one provider call (SES, an SMS POST) may be allowed: a paced send may start its
 * call at the end of its wait (send-pacing.ts, 12 s), and the call must end, with 5 s left for
 * the attempt's reads, claims and filing, inside the dispatch timeout (30 s). A longer timeout
 * would let the function be stopped mid-call with the outcome unknown and the claim left.
 */
export const PROVIDER_TIMEOUT_MAX_MS = 10_000;

export const ConfigSchema = z.object({
  TABLE_NAME: z.string().min(1),
  AWS_REGION: z.string().min(1).default('eu-north-1'),
  /** The JWT claim that names the tenant. */
  TENANT_CLAIM: z.string().min(1).default('tenant_id'),
  /** Secrets Manager names of tenant secrets start with this (per deployment stage). */
  SECRETS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9/_+=.@-]{1,100}$/)
    .default('frist/local'),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(1_000_000).default(65_536),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
  /**
   * Powertools Metrics' own switch: when true it prints no embedded-metric-format lines (the
   * code path stays the same). Unset on AWS; the local stack sets it and records the counts.
   */
  POWERTOOLS_METRICS_DISABLED: Flag.default(false),

  // Endpoints: set locally (the stand-ins); unset on AWS, where the SDK finds the services.
  DYNAMODB_ENDPOINT: z.url().optional(),
  SECRETS_MANAGER_ENDPOINT: z.url().optional(),
  SCHEDULER_ENDPOINT: z.url().optional(),
  SES_ENDPOINT: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  SQS_ENDPOINT: z.url().optional(),
  S3_FORCE_PATH_STYLE: Flag.default(false),

  // Scheduling (api, reconciler).
  SCHEDULE_GROUP: z
    .string()
    .regex(/^[0-9a-zA-Z-_.]{1,64}$/)
    .default('frist'),
  /** The dispatch queue: the target of every notice schedule. */
  DISPATCH_QUEUE_ARN: Arn.optional(),
  /**
   * Set: schedules send to the dispatch queue through the Scheduler's universal SQS target
   * (`aws-sdk:sqs:sendMessage`) with the firm as the message group, so the queue is an SQS fair
   * queue and one firm's backlog does not hold back the others (docs/decisions.md, "The 09:00
   * burst"). The queue's URL. Unset: the templated SQS target, without groups.
   */
  DISPATCH_FAIR_QUEUE_URL: z.url().optional(),
  SCHEDULER_ROLE_ARN: Arn.optional(),
  SCHEDULER_DLQ_ARN: Arn.optional(),
  /**
   * The Scheduler's retries when it cannot hand a fired schedule to the dispatch queue, and
   * for how long it keeps trying (the maxima: a notice is never given up for that).
   */
  SCHEDULE_MAX_RETRIES: z.coerce.number().int().min(0).max(185).default(185),
  SCHEDULE_MAX_EVENT_AGE_SECONDS: z.coerce.number().int().min(60).max(86_400).default(86_400),
  RECONCILE_HORIZON_HOURS: z.coerce.number().int().min(1).max(48).default(3),
  /** How long the reconciler leaves an overdue occurrence to the dispatch queue's own retries. */
  RECONCILE_GRACE_MINUTES: z.coerce.number().int().min(0).max(1_440).default(15),

  /** The jobs queue (api, reconciler, jobs): a change of time zone re-plans the open tasks in steps sent here. */
  JOBS_QUEUE_URL: z.url().optional(),
  /** The webhooks queue (every function that publishes an event, and the webhooks function that delivers them). */
  WEBHOOKS_QUEUE_URL: z.url().optional(),
  /**
   * Local only, never set by the CDK stack: the origin (`http://127.0.0.1:<port>`) of the fake
   * receiver `npm start` runs, the one URL webhooks may call over plain HTTP on loopback.
   */
  WEBHOOK_LOCAL_RECEIVER: z
    .url()
    .regex(/^http:\/\/127\.0\.0\.1:\d{1,5}$/, { error: 'must be http://127.0.0.1:<port>' })
    .optional(),

  // Sending (dispatch).
  DOCUMENT_BUCKET: z.string().min(3).max(63).optional(),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  /**
   * The dispatch queue's URL (dispatch): a notice long kept waiting by the send rate alone goes
   * back to it as a new message (functions/dispatch/pacing-requeue.ts). Unset: it is retried as
   * any other, toward the dead-letter queue.
   */
  DISPATCH_QUEUE_URL: z.url().optional(),
  /** How long one SES call may take; a call cut off by it has an unknown outcome. */
  SES_TIMEOUT_MS: z.coerce.number().int().min(100).max(PROVIDER_TIMEOUT_MAX_MS).default(10_000),
  /**
   * The deployment's rate toward SES, sends a second across every dispatch invocation
   * (shared/use-cases/send-pacing.ts): the account's maximum sending rate, or a little under it.
   * Unset: no pacing (the local stack's default; the CDK stack always sets it).
   */
  SES_SENDS_PER_SECOND: z.coerce.number().int().min(1).max(10_000).optional(),
  /** The same for the SMS gateway (`SMS_BASE_URL`): what its provider allows, per second. */
  SMS_SENDS_PER_SECOND: z.coerce.number().int().min(1).max(10_000).optional(),
  SMS_PROVIDER: z.enum(['generic', 'sveve']).default('generic'),
  SMS_BASE_URL: z.url().optional(),
  SMS_TIMEOUT_MS: z.coerce.number().int().min(100).max(PROVIDER_TIMEOUT_MAX_MS).default(5_000),
  SMS_MAX_SEGMENTS: z.coerce.number().int().min(1).max(10).default(3),
  /** The sender SMS carry until a tenant's own sender is activated. */
  SMS_DEFAULT_SENDER: z.string().min(1).max(11).default('Frist'),
  /** The From of e-mail for a firm that set no e-mail sender (an SES-verified address). */
  EMAIL_DEFAULT_FROM: z.email().optional(),
  /**
   * The deployment's cap of SMS per UTC day, across every firm (the SMS-pumping guard; each
   * firm has its own caps in its settings). An SMS over it is skipped `rate-limited`.
   */
  SMS_DEPLOYMENT_PER_DAY: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  /**
   * The ceiling of every firm's SMS caps (shared/domain/sms-limit-changes.ts): a token, stolen
   * or not, cannot set more. Small by default: 2,000 a day is four times a firm's default cap,
   * 10 an hour to one number twice its; the Nordic countries, where Norwegian firms' customers
   * live. A deployment that serves firms with more raises them.
   */
  SMS_CEILING_PER_DAY: z.coerce.number().int().min(1).max(100_000).default(2_000),
  SMS_CEILING_PER_NUMBER_PER_HOUR: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * ISO 3166 codes, comma separated: the countries a firm may allow SMS to. Checked for shape
   * only (phone-number metadata stays out of the bundles that do not need it).
   */
  SMS_CEILING_COUNTRIES: z
    .string()
    .default('NO,SE,DK,FI,IS')
    .transform((v) =>
      v
        .split(',')
        .map((c) => c.trim().toUpperCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[A-Z]{2}$/, { error: 'must be ISO 3166 country codes such as NO,SE, comma separated' })).max(250)),
  /** Hours before a raise of a firm's SMS caps (or another country) is in force; 0: at once. */
  SMS_RAISE_DELAY_HOURS: z.coerce.number().int().min(0).max(168).default(24),
  /** How long a dispatch attempt holds its claim: longer than the dispatch timeout, shorter than the queue's visibility timeout. */
  CLAIM_LEASE_SECONDS: z.coerce.number().int().min(30).max(3_600).default(DISPATCH_QUEUE.claimLeaseSeconds),
});

export type Config = z.infer<typeof ConfigSchema>;

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/** A variable this function cannot run without. */
export function required<K extends keyof Config>(config: Config, name: K): NonNullable<Config[K]> {
  const value = config[name];
  if (value === undefined || value === null) throw new Error(`Invalid configuration: ${String(name)} is required here`);
  return value;
}

/**
 * Powertools Metrics reads its switch from the environment, whenever an instance is built
 * (2.x has no constructor option for it). On AWS the configuration is that environment; a
 * process given its configuration another way (the local stack) hands the switch on here
 * before building one. Only `true` is handed on: a process that runs a silent local stack
 * stays silent, whatever else it builds.
 */
export function handOnMetricsSwitch(config: Config): void {
  if (config.POWERTOOLS_METRICS_DISABLED) process.env.POWERTOOLS_METRICS_DISABLED = 'true';
}

let cached: Config | undefined;

/** The configuration of this process, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
