import * as z from 'zod';
import { INDEX_UPGRADE_STEPS } from '../shared/adapters/table-layout.ts';

/**
 * The deployment's choices, from CDK context (`-c key=value`) or the environment
 * (`FRIST_<KEY>`), validated at synth time so a bad value stops `cdk synth` with a message
 * that names it, instead of a stack that fails at its first notice.
 */
/** CloudWatch Logs accepts only these retention periods. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const LOG_RETENTION_RULE = `must be one of CloudWatch's retention periods in days (${[1, 3, 5, 7, 14, 30, 60, 90, 180, 365, 731, 1827, 3653].join(', ')}, ...)`;

/**
 * A number from `-c key=value` (text) or cdk.json (a number), read as the functions read their
 * variables (shared/config.ts): text as `Number()` reads it (surrounding blanks ignored, `0x10`
 * 16, `1e3` 1000, `-0` 0), except blank text, which `Number()` reads as 0 and `-c key=` gives:
 * it is left as it is, for `check` to refuse (docs/decisions.md, "Blank is not zero"), as is
 * anything but text (cdk.json's `true`, refused, where `z.coerce` read it as 1).
 */
const contextNumber = <T extends z.ZodType<number, number>>(check: T) =>
  // `+ 0` turns -0 into 0, as the functions read it.
  z.preprocess((value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) + 0 : value), check);

/** The message of a number check: `rule`, and for blank text that blank is not 0. */
const numberRule = (rule: string) => (issue: { input?: unknown }) => (typeof issue.input === 'string' ? `${rule}, not blank` : rule);

/** A whole number within [min, max] (`contextNumber`); every failure says so. */
const wholeNumber = (min: number, max: number) => {
  const rule = numberRule(`must be a whole number from ${min} to ${max}`);
  return contextNumber(z.number({ error: rule }).int({ error: rule }).min(min, { error: rule }).max(max, { error: rule }));
};

/** A switch of an upgrade's deploys (`-c name=false`): exactly `true` or `false`, on when not given. */
const onByDefault = () =>
  z.coerce
    .string()
    .pipe(z.stringbool({ truthy: ['true'], falsy: ['false'], error: 'must be true or false' }))
    .default(true);

const StackConfigSchema = z
  .object({
    stage: z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, { error: 'must be 1-16 of a-z 0-9 -, starting with a letter (dev, staging, prod)' }),
    /**
     * The SES identities (verified domains or addresses) e-mail may be sent from, comma
     * separated: the deployment's own, and the domains of firms that send as themselves.
     */
    sesIdentity: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((i) => i.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(
            z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$|^[^@\s]+@([a-z0-9-]+\.)+[a-z]{2,}$/i, {
              error: 'must be domains or e-mail addresses verified in SES, comma separated',
            }),
          )
          .min(1, { error: 'must name at least one SES identity' })
          .max(50),
      ),
    /** From for firms without their own sender; must belong to sesIdentity. */
    emailDefaultFrom: z.email({ error: 'must be an e-mail address' }),
    smsProvider: z.enum(['generic', 'sveve']).default('generic'),
    smsBaseUrl: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }),
    smsDefaultSender: z
      .string()
      .regex(/^[A-Za-z0-9 ]{1,11}$/, { error: 'must be 1-11 of A-Z a-z 0-9 and space' })
      .default('Frist'),
    /**
     * The deployment's cap of SMS per UTC day across every firm (the SMS-pumping guard; each
     * firm's own caps are in its settings): more are skipped `rate-limited`, never sent.
     */
    smsDeploymentPerDay: wholeNumber(1, 10_000_000).default(10_000),
    /**
     * Sends a second toward SES across every dispatch invocation: the account's maximum sending
     * rate (14 in the sandbox; the SES console's "Sending statistics" shows it), or a little under
     * it when something else sends on the account. And the same for the SMS gateway.
     */
    sesSendsPerSecond: wholeNumber(1, 10_000).default(14),
    smsSendsPerSecond: wholeNumber(1, 10_000).default(10),
    /**
     * The ceiling of every firm's SMS caps, and the countries a firm may allow SMS to (comma
     * separated ISO 3166 codes): a firm's token, stolen or not, cannot set more. A raise of a
     * firm's caps waits `smsRaiseDelayHours` (0: at once) and sets off an alarm meanwhile.
     */
    smsCeilingPerDay: wholeNumber(1, 100_000).default(2_000),
    smsCeilingPerNumberPerHour: wholeNumber(1, 100).default(10),
    smsCeilingCountries: z
      .string()
      .regex(/^[A-Z]{2}(,[A-Z]{2})*$/, { error: 'must be ISO 3166 country codes such as NO,SE,DK, comma separated' })
      .default('NO,SE,DK,FI,IS'),
    smsRaiseDelayHours: wholeNumber(0, 168).default(24),
    /** Browser origins allowed to call the API; none by default. */
    corsOrigins: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be a list of origins like https://app.example.no' }))),
    /**
     * The built web app (web/dist after `npm run build:web`), relative to the repository root
     * or absolute; the stack uploads it to the app's bucket.
     */
    webDist: z.string().min(1).default('web/dist'),
    /**
     * More origins the web app is served from besides its CloudFront distribution, comma
     * separated: a custom domain, or http://localhost:5173 for development against a deployed
     * stack. Each gets the sign-in callback and sign-out URLs and CORS.
     */
    webOrigins: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim().replace(/\/$/, ''))
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z.string().regex(/^(https:\/\/[a-z0-9.-]+(:\d+)?|http:\/\/localhost(:\d+)?)$/i, {
            error: 'must be origins like https://app.tallogtid.no or http://localhost:5173 (no path)',
          }),
        ),
      ),
    /**
     * The prefix of the user pool's sign-in domain, <prefix>.auth.<region>.amazoncognito.com;
     * unique per region across AWS. Default frist-<stage>-<account id>.
     */
    authDomainPrefix: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, { error: 'must be 1-63 of a-z 0-9 -, not starting or ending with -' })
      .refine((v) => !/aws|amazon|cognito/.test(v), { error: 'must not contain aws, amazon or cognito (Cognito reserves them)' })
      .optional(),
    /** An existing OIDC issuer instead of the stack's own Cognito user pool: give both. */
    jwtIssuer: z.url({ protocol: /^https$/, error: 'must be an https:// issuer URL' }).optional(),
    jwtAudience: z.string().min(1).optional(),
    /** The claim naming the tenant: `custom:tenant_id` with the stack's user pool. */
    tenantClaim: z.string().min(1).optional(),
    /**
     * Only to upgrade a table deployed by an earlier version: deploy steps 1, 2, ... in turn
     * (one index created or deleted each), then without it (README, "Deploy").
     */
    indexUpgradeStep: wholeNumber(0, INDEX_UPGRADE_STEPS).optional(),
    /**
     * Whether saves write a task's notices packed (the functions' `PACK_TASK_NOTICES`); every
     * version from this one reads both forms. `false` for the first deploy of an upgrade from
     * an earlier version, and before rolling back to one (README, "Deploy").
     */
    packTaskNotices: onByDefault(),
    /**
     * Whether the notice schedules written name the task's customer (the functions'
     * `DISPATCH_CUSTOMER_HINT`); every dispatch from this version accepts it. `false` for the
     * first deploy of an upgrade from an earlier version (README, "Deploy"), and to stop new
     * hints before a rollback past it (not clean: docs/decisions.md).
     */
    dispatchCustomerHint: onByDefault(),
    /** Days before documents move to S3 Standard-IA. */
    documentsToInfrequentAccessDays: wholeNumber(30, 3650).default(90),
    logRetentionDays: contextNumber(
      z.number({ error: numberRule(LOG_RETENTION_RULE) }).refine((d) => LOG_RETENTION_DAYS.includes(d), { error: LOG_RETENTION_RULE }),
    ).optional(),
    /** API throttling: steady requests per second and burst. */
    throttleRate: wholeNumber(1, 10_000).default(50),
    throttleBurst: wholeNumber(1, 5_000).default(100),
    /** Where alarms are e-mailed; without it they only change state. */
    alarmEmail: z.email().optional(),
  })
  .refine((c) => (c.jwtIssuer === undefined) === (c.jwtAudience === undefined), {
    error: 'jwtIssuer and jwtAudience go together',
    path: ['jwtIssuer'],
  });

export type StackConfig = z.output<typeof StackConfigSchema> & {
  /** dev-like stages may be destroyed; every other stage keeps its data. */
  retainData: boolean;
  tenantClaim: string;
  logRetentionDays: number;
};

const KEYS = Object.keys(StackConfigSchema.shape);

/** Reads every key from context first, then `FRIST_<KEY>` (camelCase to UPPER_SNAKE). */
export function readStackConfig(context: (key: string) => unknown, env: Record<string, string | undefined>): StackConfig {
  const raw = Object.fromEntries(KEYS.map((key) => [key, context(key) ?? env[`FRIST_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`]]));
  const parsed = StackConfigSchema.safeParse({ stage: 'dev', ...Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)) });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`).join('\n');
    throw new Error(`Invalid Frist deployment configuration (set with -c key=value or FRIST_KEY=value):\n${problems}`);
  }
  const config = parsed.data;
  const retainData = !/^dev(-|$)/.test(config.stage);
  return {
    ...config,
    retainData,
    tenantClaim: config.tenantClaim ?? (config.jwtIssuer ? 'tenant_id' : 'custom:tenant_id'),
    logRetentionDays: config.logRetentionDays ?? (retainData ? 365 : 14),
  };
}
