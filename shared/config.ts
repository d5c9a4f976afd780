import {
  every,
  integerText,
  Invalid,
  matching,
  members,
  oneOf,
  optional,
  problem,
  problemsOf,
  string,
  withDefault,
  type Check,
  type Checked,
} from './checks.ts';
import { DISPATCH_QUEUE } from './dispatch-queue.ts';

/*
 * Plain checks, not zod: every function parses this at cold start, and building zod schemas
 * and running zod's constructors for the first time cost dispatch's cold start more than the
 * rest of its own code (docs/decisions.md, "Cold start: plain checks of the configuration and
 * the message"). The checks (shared/checks.ts) give the messages zod gave.
 */

const arn = () => matching(/^arn:[\w-]+:[\w-]+:[\w-]*:\d*:.+$/, 'must be an ARN');
/** `true` or `false`, as a boolean. */
const flag = (): Check<boolean> => {
  const trueOrFalse = oneOf(['true', 'false']);
  return (input) => trueOrFalse(input) === 'true';
};
/** A non-empty string. */
const text = () => string({ min: 1 });
/** A whole number within [min, max], from the variable's text; blank text refused, not read as 0. */
const int = integerText;
/**
 * A URL `new URL()` accepts, read as given less surrounding blanks and any tab or line break
 * (what zod's `url()` did).
 */
const url = (): Check<string> => (input) => {
  const trimmed = string()(input).trim();
  if (!URL.canParse(trimmed)) throw problem('invalid_format', 'Invalid URL');
  return trimmed.replace(/[\t\n\r]/g, '');
};
/** The pattern of zod's `email()`, which this configuration used before. */
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
const email = () => matching(EMAIL, 'Invalid email address');
/** ISO 3166 codes, comma separated, to a list in capitals; at most 250; `unset` when unset. */
const countries = (unset: string): Check<string[]> => {
  const code = matching(/^[A-Z]{2}$/, 'must be ISO 3166 country codes such as NO,SE, comma separated');
  return (input) => {
    const list = string()(input ?? unset)
      .split(',')
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean);
    if (list.length > 250) throw problem('too_big', 'Too big: expected array to have <=250 items');
    const problems = list.flatMap((c, i) => problemsOf(() => code(c), [i]));
    if (problems.length) throw new Invalid(problems);
    return list;
  };
};

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
 * Each variable has its check (shared/checks.ts). Dispatch checks only the variables its
 * composition root reads (`DISPATCH_VARIABLES`), the others every one (docs/decisions.md,
 * "Cold start: dispatch's own configuration").
 */
const VARIABLES = {
  TABLE_NAME: text(),
  AWS_REGION: withDefault(text(), 'eu-north-1'),
  /** The JWT claim that names the tenant. */
  TENANT_CLAIM: withDefault(text(), 'tenant_id'),
  /** Secrets Manager names of tenant secrets start with this (per deployment stage). */
  SECRETS_PREFIX: withDefault(matching(/^[A-Za-z0-9/_+=.@-]{1,100}$/), 'frist/local'),
  MAX_BODY_BYTES: withDefault(int(1024, 1_000_000), 65_536),
  LOG_LEVEL: withDefault(oneOf(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'),
  /**
   * Powertools Metrics' own switch: when true it prints no embedded-metric-format lines (the
   * code path stays the same). Unset on AWS; the local stack sets it and records the counts.
   */
  POWERTOOLS_METRICS_DISABLED: withDefault(flag(), false),

  /**
   * Whether a save writes a task's notices packed (shared/adapters/dynamodb-packed-notices.ts);
   * both forms are read either way. `false` only while upgrading from, or rolling back to, a
   * version that reads the list alone (README, "Deploy").
   */
  PACK_TASK_NOTICES: withDefault(flag(), true),
  /**
   * Whether the notice schedules written name the task's customer (DispatchEvent's
   * `customerId`), which a dispatch before it rejects. `false` only while upgrading from such
   * a version, or before rolling back to one (README, "Deploy").
   */
  DISPATCH_CUSTOMER_HINT: withDefault(flag(), true),

  // Endpoints: set locally (the stand-ins); unset on AWS, where the SDK finds the services.
  DYNAMODB_ENDPOINT: optional(url()),
  SECRETS_MANAGER_ENDPOINT: optional(url()),
  SCHEDULER_ENDPOINT: optional(url()),
  SES_ENDPOINT: optional(url()),
  S3_ENDPOINT: optional(url()),
  SQS_ENDPOINT: optional(url()),
  S3_FORCE_PATH_STYLE: withDefault(flag(), false),

  // Scheduling (api, reconciler).
  SCHEDULE_GROUP: withDefault(matching(/^[0-9a-zA-Z-_.]{1,64}$/), 'frist'),
  /** The dispatch queue: the target of every notice schedule. */
  DISPATCH_QUEUE_ARN: optional(arn()),
  /**
   * Set: schedules send to the dispatch queue through the Scheduler's universal SQS target
   * (`aws-sdk:sqs:sendMessage`) with the firm as the message group, so the queue is an SQS fair
   * queue and one firm's backlog does not hold back the others (docs/decisions.md, "The 09:00
   * burst"). The queue's URL. Unset: the templated SQS target, without groups.
   */
  DISPATCH_FAIR_QUEUE_URL: optional(url()),
  SCHEDULER_ROLE_ARN: optional(arn()),
  SCHEDULER_DLQ_ARN: optional(arn()),
  /**
   * The Scheduler's retries when it cannot hand a fired schedule to the dispatch queue, and
   * for how long it keeps trying (the maxima: a notice is never given up for that).
   */
  SCHEDULE_MAX_RETRIES: withDefault(int(0, 185), 185),
  SCHEDULE_MAX_EVENT_AGE_SECONDS: withDefault(int(60, 86_400), 86_400),
  RECONCILE_HORIZON_HOURS: withDefault(int(1, 48), 3),
  /** How long the reconciler leaves an overdue occurrence to the dispatch queue's own retries. */
  RECONCILE_GRACE_MINUTES: withDefault(int(0, 1_440), 15),

  /** The jobs queue (api, reconciler, jobs): a change of time zone re-plans the open tasks in steps sent here. */
  JOBS_QUEUE_URL: optional(url()),
  /** The webhooks queue (every function that publishes an event, and the webhooks function that delivers them). */
  WEBHOOKS_QUEUE_URL: optional(url()),
  /**
   * Local only, never set by the CDK stack: the origin (`http://127.0.0.1:<port>`) of the fake
   * receiver `npm start` runs, the one URL webhooks may call over plain HTTP on loopback.
   */
  WEBHOOK_LOCAL_RECEIVER: optional(every(url(), matching(/^http:\/\/127\.0\.0\.1:\d{1,5}$/, 'must be http://127.0.0.1:<port>'))),

  // Sending (dispatch).
  DOCUMENT_BUCKET: optional(string({ min: 3, max: 63 })),
  SES_CONFIGURATION_SET: optional(text()),
  /**
   * The dispatch queue's URL (dispatch): a notice long kept waiting by the send rate alone goes
   * back to it as a new message (functions/dispatch/pacing-requeue.ts). Unset: it is retried as
   * any other, toward the dead-letter queue.
   */
  DISPATCH_QUEUE_URL: optional(url()),
  /** How long one SES call may take; a call cut off by it has an unknown outcome. */
  SES_TIMEOUT_MS: withDefault(int(100, PROVIDER_TIMEOUT_MAX_MS), 10_000),
  /**
   * The deployment's rate toward SES, sends a second across every dispatch invocation
   * (shared/use-cases/send-pacing.ts): the account's maximum sending rate, or a little under it.
   * Unset: no pacing (the local stack's default; the CDK stack always sets it).
   */
  SES_SENDS_PER_SECOND: optional(int(1, 10_000)),
  /** The same for the SMS gateway (`SMS_BASE_URL`): what its provider allows, per second. */
  SMS_SENDS_PER_SECOND: optional(int(1, 10_000)),
  SMS_PROVIDER: withDefault(oneOf(['generic', 'sveve']), 'generic'),
  SMS_BASE_URL: optional(url()),
  SMS_TIMEOUT_MS: withDefault(int(100, PROVIDER_TIMEOUT_MAX_MS), 5_000),
  SMS_MAX_SEGMENTS: withDefault(int(1, 10), 3),
  /** The sender SMS carry until a tenant's own sender is activated. */
  SMS_DEFAULT_SENDER: withDefault(string({ min: 1, max: 11 }), 'Frist'),
  /** The From of e-mail for a firm that set no e-mail sender (an SES-verified address). */
  EMAIL_DEFAULT_FROM: optional(email()),
  /**
   * The deployment's cap of SMS per UTC day, across every firm (the SMS-pumping guard; each
   * firm has its own caps in its settings). An SMS over it is skipped `rate-limited`.
   */
  SMS_DEPLOYMENT_PER_DAY: withDefault(int(1, 10_000_000), 10_000),
  /**
   * The ceiling of every firm's SMS caps (shared/domain/sms-limit-changes.ts): a token, stolen
   * or not, cannot set more. Small by default: 2,000 a day is four times a firm's default cap,
   * 10 an hour to one number twice its; the Nordic countries, where Norwegian firms' customers
   * live. A deployment that serves firms with more raises them.
   */
  SMS_CEILING_PER_DAY: withDefault(int(1, 100_000), 2_000),
  SMS_CEILING_PER_NUMBER_PER_HOUR: withDefault(int(1, 100), 10),
  /**
   * ISO 3166 codes, comma separated: the countries a firm may allow SMS to. Checked for shape
   * only (phone-number metadata stays out of the bundles that do not need it).
   */
  SMS_CEILING_COUNTRIES: countries('NO,SE,DK,FI,IS'),
  /** Hours before a raise of a firm's SMS caps (or another country) is in force; 0: at once. */
  SMS_RAISE_DELAY_HOURS: withDefault(int(0, 168), 24),
  /** How long a dispatch attempt holds its claim: longer than the dispatch timeout, shorter than the queue's visibility timeout. */
  CLAIM_LEASE_SECONDS: withDefault(int(30, 3_600), DISPATCH_QUEUE.claimLeaseSeconds),
};

export type VariableName = keyof typeof VARIABLES;
type Checks<N extends VariableName> = Pick<typeof VARIABLES, N>;

export type Config = Checked<Checks<VariableName>>;
/** The configuration of the variables a list names: what a port builder reads. */
export type ConfigOf<L extends readonly VariableName[]> = Pick<Config, L[number]>;

/** The named variables of `env` (every one by default), checked; a missing or malformed one throws a message naming it. */
export function parseConfig<N extends VariableName = VariableName>(
  env: Record<string, string | undefined>,
  names: readonly N[] = Object.keys(VARIABLES) as N[],
): Pick<Config, N> {
  const checks = Object.fromEntries(names.map((name) => [name, VARIABLES[name]])) as Checks<N>;
  const parsed = members(checks, env);
  if (!parsed.success) {
    const problems = parsed.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
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
