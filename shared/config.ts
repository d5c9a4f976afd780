import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { DISPATCH_QUEUE } from './dispatch-queue.ts';

/*
 * zod's mini build, not the classic one: every function parses this at cold start, and the
 * classic build's import and schema objects cost several times the mini's (docs/decisions.md,
 * "Cold start: zod/mini, Powertools kept"). The schema reads as the classic one did, through the
 * helpers below. The mini build has no messages of its own: English ones, as the classic gives.
 */
z.config(en());

const arn = () => z.string().check(z.regex(/^arn:[\w-]+:[\w-]+:[\w-]*:\d*:.+$/, { error: 'must be an ARN' }));
/** `true` or `false`, as a boolean. */
const flag = () =>
  z.pipe(
    z.enum(['true', 'false']),
    z.transform((v) => v === 'true'),
  );
/** A non-empty string. */
const text = () => z.string().check(z.minLength(1));
/** A whole number within [min, max], from the variable's text. */
const int = (min: number, max: number) => z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max));
const matching = (pattern: RegExp) => z.string().check(z.regex(pattern));
const optional = z.optional;
const withDefault = z._default;

/**
 * A schema built once and shared by the variables of its kind (zod's schemas are immutable
 * values): every schema object built costs the cold start, and most variables are of a few kinds.
 */
function shared<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}
const optionalUrl = shared(() => optional(z.url()));
const sharedFlag = shared(flag);
const providerTimeout = shared(() => int(100, PROVIDER_TIMEOUT_MAX_MS));
const optionalRate = shared(() => optional(int(1, 10_000)));

/**
 * The longest one provider call (SES, an SMS POST) may be allowed: a paced send may start its
 * call at the end of its wait (send-pacing.ts, 12 s), and the call must end, with 5 s left for
 * the attempt's reads, claims and filing, inside the dispatch timeout (30 s). A longer timeout
 * would let the function be stopped mid-call with the outcome unknown and the claim left.
 */
export const PROVIDER_TIMEOUT_MAX_MS = 10_000;

/**
 * The deployment's configuration, read from the environment once, at cold start. A missing
 * or malformed variable stops the process with a message naming it, instead of failing
 * later on the first request that needs it. Nothing else reads `process.env`.
 *
 * Variables that only some functions use are optional here; the composition root asks for
 * them with `required()` when it builds the port that needs them, still at cold start.
 *
 * Each variable's schema is built only for a function whose configuration names it: a
 * function parses the variables its composition root reads (dispatch's list is
 * `DISPATCH_VARIABLES`), the others every one. Building and parsing the whole schema was the
 * largest piece of dispatch's cold start that is Frist's own (docs/decisions.md, "Cold start:
 * dispatch's own configuration").
 */
const VARIABLES = {
  TABLE_NAME: () => text(),
  AWS_REGION: () => withDefault(text(), 'eu-north-1'),
  /** The JWT claim that names the tenant. */
  TENANT_CLAIM: () => withDefault(text(), 'tenant_id'),
  /** Secrets Manager names of tenant secrets start with this (per deployment stage). */
  SECRETS_PREFIX: () => withDefault(matching(/^[A-Za-z0-9/_+=.@-]{1,100}$/), 'frist/local'),
  MAX_BODY_BYTES: () => withDefault(int(1024, 1_000_000), 65_536),
  LOG_LEVEL: () => withDefault(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'),
  /**
   * Powertools Metrics' own switch: when true it prints no embedded-metric-format lines (the
   * code path stays the same). Unset on AWS; the local stack sets it and records the counts.
   */
  POWERTOOLS_METRICS_DISABLED: () => withDefault(sharedFlag(), false),

  /**
   * Whether a save writes a task's notices packed (shared/adapters/dynamodb-packed-notices.ts);
   * both forms are read either way. `false` only while upgrading from, or rolling back to, a
   * version that reads the list alone (README, "Deploy").
   */
  PACK_TASK_NOTICES: () => withDefault(sharedFlag(), true),
  /**
   * Whether the notice schedules written name the task's customer (DispatchEvent's
   * `customerId`), which a dispatch before it rejects. `false` only while upgrading from such
   * a version, or before rolling back to one (README, "Deploy").
   */
  DISPATCH_CUSTOMER_HINT: () => withDefault(sharedFlag(), true),

  // Endpoints: set locally (the stand-ins); unset on AWS, where the SDK finds the services.
  DYNAMODB_ENDPOINT: optionalUrl,
  SECRETS_MANAGER_ENDPOINT: optionalUrl,
  SCHEDULER_ENDPOINT: optionalUrl,
  SES_ENDPOINT: optionalUrl,
  S3_ENDPOINT: optionalUrl,
  SQS_ENDPOINT: optionalUrl,
  S3_FORCE_PATH_STYLE: () => withDefault(sharedFlag(), false),

  // Scheduling (api, reconciler).
  SCHEDULE_GROUP: () => withDefault(matching(/^[0-9a-zA-Z-_.]{1,64}$/), 'frist'),
  /** The dispatch queue: the target of every notice schedule. */
  DISPATCH_QUEUE_ARN: () => optional(arn()),
  /**
   * Set: schedules send to the dispatch queue through the Scheduler's universal SQS target
   * (`aws-sdk:sqs:sendMessage`) with the firm as the message group, so the queue is an SQS fair
   * queue and one firm's backlog does not hold back the others (docs/decisions.md, "The 09:00
   * burst"). The queue's URL. Unset: the templated SQS target, without groups.
   */
  DISPATCH_FAIR_QUEUE_URL: optionalUrl,
  SCHEDULER_ROLE_ARN: () => optional(arn()),
  SCHEDULER_DLQ_ARN: () => optional(arn()),
  /**
   * The Scheduler's retries when it cannot hand a fired schedule to the dispatch queue, and
   * for how long it keeps trying (the maxima: a notice is never given up for that).
   */
  SCHEDULE_MAX_RETRIES: () => withDefault(int(0, 185), 185),
  SCHEDULE_MAX_EVENT_AGE_SECONDS: () => withDefault(int(60, 86_400), 86_400),
  RECONCILE_HORIZON_HOURS: () => withDefault(int(1, 48), 3),
  /** How long the reconciler leaves an overdue occurrence to the dispatch queue's own retries. */
  RECONCILE_GRACE_MINUTES: () => withDefault(int(0, 1_440), 15),

  /** The jobs queue (api, reconciler, jobs): a change of time zone re-plans the open tasks in steps sent here. */
  JOBS_QUEUE_URL: optionalUrl,
  /** The webhooks queue (every function that publishes an event, and the webhooks function that delivers them). */
  WEBHOOKS_QUEUE_URL: optionalUrl,
  /**
   * Local only, never set by the CDK stack: the origin (`http://127.0.0.1:<port>`) of the fake
   * receiver `npm start` runs, the one URL webhooks may call over plain HTTP on loopback.
   */
  WEBHOOK_LOCAL_RECEIVER: () => optional(z.url().check(z.regex(/^http:\/\/127\.0\.0\.1:\d{1,5}$/, { error: 'must be http://127.0.0.1:<port>' }))),

  // Sending (dispatch).
  DOCUMENT_BUCKET: () => optional(z.string().check(z.minLength(3), z.maxLength(63))),
  SES_CONFIGURATION_SET: () => optional(text()),
  /**
   * The dispatch queue's URL (dispatch): a notice long kept waiting by the send rate alone goes
   * back to it as a new message (functions/dispatch/pacing-requeue.ts). Unset: it is retried as
   * any other, toward the dead-letter queue.
   */
  DISPATCH_QUEUE_URL: optionalUrl,
  /** How long one SES call may take; a call cut off by it has an unknown outcome. */
  SES_TIMEOUT_MS: () => withDefault(providerTimeout(), 10_000),
  /**
   * The deployment's rate toward SES, sends a second across every dispatch invocation
   * (shared/use-cases/send-pacing.ts): the account's maximum sending rate, or a little under it.
   * Unset: no pacing (the local stack's default; the CDK stack always sets it).
   */
  SES_SENDS_PER_SECOND: optionalRate,
  /** The same for the SMS gateway (`SMS_BASE_URL`): what its provider allows, per second. */
  SMS_SENDS_PER_SECOND: optionalRate,
  SMS_PROVIDER: () => withDefault(z.enum(['generic', 'sveve']), 'generic'),
  SMS_BASE_URL: optionalUrl,
  SMS_TIMEOUT_MS: () => withDefault(providerTimeout(), 5_000),
  SMS_MAX_SEGMENTS: () => withDefault(int(1, 10), 3),
  /** The sender SMS carry until a tenant's own sender is activated. */
  SMS_DEFAULT_SENDER: () => withDefault(z.string().check(z.minLength(1), z.maxLength(11)), 'Frist'),
  /** The From of e-mail for a firm that set no e-mail sender (an SES-verified address). */
  EMAIL_DEFAULT_FROM: () => optional(z.email()),
  /**
   * The deployment's cap of SMS per UTC day, across every firm (the SMS-pumping guard; each
   * firm has its own caps in its settings). An SMS over it is skipped `rate-limited`.
   */
  SMS_DEPLOYMENT_PER_DAY: () => withDefault(int(1, 10_000_000), 10_000),
  /**
   * The ceiling of every firm's SMS caps (shared/domain/sms-limit-changes.ts): a token, stolen
   * or not, cannot set more. Small by default: 2,000 a day is four times a firm's default cap,
   * 10 an hour to one number twice its; the Nordic countries, where Norwegian firms' customers
   * live. A deployment that serves firms with more raises them.
   */
  SMS_CEILING_PER_DAY: () => withDefault(int(1, 100_000), 2_000),
  SMS_CEILING_PER_NUMBER_PER_HOUR: () => withDefault(int(1, 100), 10),
  /**
   * ISO 3166 codes, comma separated: the countries a firm may allow SMS to. Checked for shape
   * only (phone-number metadata stays out of the bundles that do not need it).
   */
  SMS_CEILING_COUNTRIES: () =>
    z.pipe(
      z.pipe(
        withDefault(z.string(), 'NO,SE,DK,FI,IS'),
        z.transform((v) =>
          v
            .split(',')
            .map((c) => c.trim().toUpperCase())
            .filter(Boolean),
        ),
      ),
      z.array(z.string().check(z.regex(/^[A-Z]{2}$/, { error: 'must be ISO 3166 country codes such as NO,SE, comma separated' }))).check(z.maxLength(250)),
    ),
  /** Hours before a raise of a firm's SMS caps (or another country) is in force; 0: at once. */
  SMS_RAISE_DELAY_HOURS: () => withDefault(int(0, 168), 24),
  /** How long a dispatch attempt holds its claim: longer than the dispatch timeout, shorter than the queue's visibility timeout. */
  CLAIM_LEASE_SECONDS: () => withDefault(int(30, 3_600), DISPATCH_QUEUE.claimLeaseSeconds),
};

export type VariableName = keyof typeof VARIABLES;
type Shape<N extends VariableName> = { [K in N]: ReturnType<(typeof VARIABLES)[K]> };

/** The schema of the named variables (every one by default). */
export function configSchema<N extends VariableName = VariableName>(names: readonly N[] = Object.keys(VARIABLES) as N[]): z.ZodMiniObject<Shape<N>> {
  return z.object(Object.fromEntries(names.map((name) => [name, VARIABLES[name]()])) as Shape<N>);
}

export type Config = z.output<z.ZodMiniObject<Shape<VariableName>>>;
/** The configuration of the variables a list names: what a port builder reads. */
export type ConfigOf<L extends readonly VariableName[]> = Pick<Config, L[number]>;

/** The named variables of `env` (every one by default), checked; a missing or malformed one throws a message naming it. */
export function parseConfig<N extends VariableName = VariableName>(env: Record<string, string | undefined>, names?: readonly N[]): Pick<Config, N> {
  const parsed = configSchema(names).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data as Pick<Config, N>;
}

/** A variable this function cannot run without. */
export function required<C extends Partial<Config>, K extends keyof C>(config: C, name: K): NonNullable<C[K]> {
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
export function handOnMetricsSwitch(config: Pick<Config, 'POWERTOOLS_METRICS_DISABLED'>): void {
  if (config.POWERTOOLS_METRICS_DISABLED) process.env.POWERTOOLS_METRICS_DISABLED = 'true';
}

/** The configuration of this process: the named variables (every one by default), parsed once, at cold start. */
export function config<N extends VariableName = VariableName>(names?: readonly N[]): Pick<Config, N> {
  return parseConfig(process.env, names);
}
