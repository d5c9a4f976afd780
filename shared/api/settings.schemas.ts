import { ZoneChangeJob } from '../domain/job.ts';
import { DEFAULT_MAX_LATENESS_HOURS, Settings as StoredSettings } from '../domain/model.ts';
import { SMS_LIMIT_DEFAULTS, SmsLimits as StoredSmsLimits } from '../domain/sms-limits.ts';
import { isCountryCode } from '../domain/sms-countries.ts';
import { normaliseSmsSender } from '../domain/sms-sender.ts';
import { DEFAULT_QUIET_HOURS, SendOn } from '../domain/send-rules.ts';
import { Email, Name, normalisedString, TimeZone, Version } from './common.schemas.ts';
import { mergePatchOf } from './merge-patch.schemas.ts';
import * as z from './zod.ts';
import { rule } from './zod.ts';

const FirmPhone = z
  .string()
  .max(32)
  .trim()
  .min(3)
  .regex(/^\+?[0-9 ()-]+$/, { error: 'must be a phone number' });

const SmsSender = normalisedString(normaliseSmsSender, 'sms-sender', 'must be 1-11 characters of A-Z a-z 0-9 and space, or a mobile number').openapi({
  type: 'string',
  example: 'TallOgTid',
});

/** `HH:MM` on the firm's wall clock. */
export const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time of day HH:MM, 00:00-23:59' });

export const SendOnInput = z.enum(SendOn.options).openapi({
  description:
    '`businessDays`: a notice that falls on a Saturday, Sunday or Norwegian public holiday goes out on the previous business day (before the deadline) or the next one (after it), at the same local time. Deadlines do not move. `any`: every day.',
});

export const QuietHoursInput = z
  .strictObject({
    enabled: z.boolean(),
    start: TimeOfDay.openapi({ example: '21:00' }),
    end: TimeOfDay.openapi({ example: '08:00' }),
  })
  .refine((q) => q.start !== q.end, { path: ['end'], ...rule('quiet-hours-empty', 'must differ from start') })
  .openapi('QuietHours', {
    description:
      "When no SMS goes out, on the firm's wall clock (start inclusive, end exclusive; it may cross midnight). An SMS due inside goes out at `end` (a before-notice's SMS that would then come at or after the deadline, or with business days after a day off: half an hour before `start`); e-mail is not held. `enabled: false` turns it off (a firm whose customers want SMS at any hour). Default 21:00-08:00.",
  });

const CountryCode = z
  .string()
  .max(2)
  .toUpperCase()
  .refine(isCountryCode, rule('country-code', 'must be an ISO 3166 country code such as NO or SE'))
  .openapi({ example: 'NO' });

/** The SMS-pumping guard's settings: what a member left out is, is its default. */
const SmsLimitsUpdate = z
  .strictObject({
    allowedCountries: z
      .array(CountryCode)
      .max(50)
      .refine((list) => new Set(list).size === list.length, rule('unique', 'must not name a country twice'))
      .default(SMS_LIMIT_DEFAULTS.allowedCountries)
      .openapi({
        description:
          "ISO 3166 codes of the countries SMS may go to, by the number's country; an SMS to any other is `skipped country-not-allowed`. Empty: no SMS at all.",
      }),
    perDay: z.int().min(1).max(100_000).default(SMS_LIMIT_DEFAULTS.perDay).openapi({
      description: 'SMS per UTC day for the whole firm; more are `skipped rate-limited` (code `per-day`).',
    }),
    perNumberPerHour: z.int().min(1).max(100).default(SMS_LIMIT_DEFAULTS.perNumberPerHour).openapi({
      description: 'SMS per UTC hour to one number; more are `skipped rate-limited` (code `per-number-hour`).',
    }),
  })
  .default(SMS_LIMIT_DEFAULTS)
  .openapi({
    description:
      "The guard against SMS pumping: where SMS may go, and how many may go. Each SMS takes a unit of every cap before it is sent, the deployment's own daily cap included (`deployment-per-day`).",
  });

export const SettingsUpdate = z
  .strictObject({
    firm: z.strictObject({ name: Name.optional(), email: Email.optional(), phone: FirmPhone.optional() }).default({}),
    timeZone: TimeZone.default('Europe/Oslo'),
    emailSender: z.strictObject({ from: Email, replyTo: Email.optional(), displayName: Name.max(100).optional() }).optional(),
    smsAccount: z
      .strictObject({
        username: z.string().max(100).trim().min(1),
        password: z.string().min(1).max(200).nullable().optional().openapi({ description: 'Write-only. Omit to keep the stored password, null to remove it.' }),
      })
      .optional(),
    smsSender: SmsSender.optional(),
    smsSenderActivated: z.boolean().default(false),
    maxLatenessHours: z.int().min(1).max(168).default(DEFAULT_MAX_LATENESS_HOURS).openapi({
      description: 'A notice that could not go out at its time (an outage) is still sent up to this many hours late; later, it is recorded `skipped too-late`.',
    }),
    sendOn: SendOnInput.default('any'),
    quietHours: QuietHoursInput.default(DEFAULT_QUIET_HOURS),
    smsLimits: SmsLimitsUpdate,
    smsOptOutLine: z.string().max(60).trim().min(1).optional().openapi({
      example: 'Svar STOPP for å avslutte',
      description:
        'Added on a line of its own at the end of every SMS (and counted in its segments), so the customer knows how to stop them; absent: no line. A STOPP answer reaches Frist through `smsGateway.inboundUrl`.',
    }),
    version: Version,
  })
  .openapi('SettingsUpdate');

export const SmsGatewayUrls = z
  .object({
    provider: z.enum(['generic', 'sveve']).meta({ description: "The protocol of the deployment's SMS gateway." }),
    receiptUrl: z.string().meta({ description: "Paste as the gateway's delivery-report (receipt) URL. Carries the firm's secret: keep it private." }),
    inboundUrl: z.string().meta({ description: "Paste as the gateway's URL for received messages (STOPP answers). Carries the same secret." }),
  })
  .openapi('SmsGatewayUrls', {
    description:
      'Where the SMS gateway reports deliveries and received SMS for this firm. POST /settings/sms-gateway/rotate replaces the secret in both (the old URLs stop working at once).',
  });

const job = ZoneChangeJob.shape;

export const TimeZoneChange = z
  .object({
    jobId: job.id,
    state: job.state.meta({
      description:
        '`queued` until the first step ran, `running`, then `done`. `failed`: the job stopped moving and was given up; the tasks it did not reach are re-planned before their next notice. (`superseded` is what an older change becomes when a newer one replaces it.)',
    }),
    timeZone: job.timeZone.meta({ description: 'The zone the open tasks are being planned in.' }),
    replanned: job.replanned.meta({ description: 'Open tasks gone through so far that are planned in the new zone.' }),
    failed: job.failed.meta({ description: 'Open tasks that could not be re-planned now; each is re-planned before its next notice.' }),
    startedAt: job.startedAt,
    updatedAt: job.updatedAt.meta({ description: 'When the job last moved.' }),
    finishedAt: job.finishedAt,
  })
  .openapi('TimeZoneChange', {
    description:
      'The latest change of time zone or of the send rules (`sendOn`, `quietHours`): the open tasks are re-planned in the background, in steps of 25; read GET /settings to follow it. Absent until the first such change.',
  });

/**
 * The settings as the API shows them: the password reference becomes `passwordSet`, the job
 * of the latest change of time zone its progress, and a tenant that never saved its settings
 * has version 0 and no stamps.
 */
export const Settings = StoredSettings.omit({ smsPassword: true, timeZoneJobId: true, gatewaySecret: true, createdAt: true, updatedAt: true })
  .extend({
    smsAccount: z.object({ username: z.string().optional(), passwordSet: z.boolean() }),
    smsDefaultSender: z.string().openapi({
      description: "Read-only: the sender SMS show until the firm's `smsSender` is activated (the service's configuration).",
      example: 'Frist',
    }),
    maxLatenessHours: z.int(),
    sendOn: SendOnInput,
    quietHours: QuietHoursInput,
    smsLimits: z.object(StoredSmsLimits.shape).openapi('SmsLimits', {
      description:
        'The limits the guard uses now. A lowering is in force at once; a raise (a higher cap, another country) waits in `smsLimitsPending` until its `effectiveAt`. Never more than `smsLimitsCeiling`.',
    }),
    smsLimitsPending: z
      .object({
        ...StoredSmsLimits.shape,
        requestedAt: z.iso.datetime().meta({ description: 'When the raise was asked for.' }),
        effectiveAt: z.iso.datetime().meta({ description: 'From when these limits are in force.' }),
      })
      .optional()
      .openapi('SmsLimitsPending', {
        description:
          'A raise of the SMS limits that waits (24 hours by default) before it is in force, so that one asked for with a stolen token can be seen and undone first. A save that raises nothing cancels it: send `smsLimits` as they are in force now. A save that raises nothing beyond it keeps its time; one that raises more starts the wait again. Absent: no raise waiting.',
      }),
    smsLimitsCeiling: z
      .object({
        perDay: z.int(),
        perNumberPerHour: z.int(),
        countries: z.array(z.string()).meta({ description: 'The countries a firm may allow SMS to.' }),
      })
      .openapi('SmsLimitsCeiling', {
        description: "Read-only: the most the firm's `smsLimits` may be in this deployment (its configuration). A save over it is refused with 422.",
      }),
    version: StoredSettings.shape.version.meta({ description: '0 until the settings are first saved.' }),
    timeZoneChange: TimeZoneChange.optional(),
    smsGateway: SmsGatewayUrls.optional().meta({ description: 'Absent until the settings are first saved.' }),
    createdAt: StoredSettings.shape.createdAt.optional(),
    updatedAt: StoredSettings.shape.updatedAt.optional(),
  })
  .openapi('Settings');

/** What a save writes, as the use cases receive it: defaults applied, the password write-only. */
export type SettingsInput = z.output<typeof SettingsUpdate>;

/**
 * A merge patch of the settings (PATCH /settings): what it leaves out stays as stored.
 * `smsAccount: null` removes the account and its password, `smsAccount: { password: null }`
 * only the password.
 */
export const SettingsPatch = mergePatchOf(SettingsUpdate, 'SettingsPatch');
