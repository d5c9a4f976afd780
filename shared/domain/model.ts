import * as z from 'zod';
import { MoveReason, QuietHours, SendOn } from './send-rules.ts';
import { SmsLimitsPending } from './sms-limit-changes.ts';
import { SmsLimits } from './sms-limits.ts';
import { schema } from './schema.ts';

/**
 * What DynamoDB holds for each entity, as zod schemas: the one source of the domain's types
 * (`z.infer` below) and the base the API's response schemas are derived from
 * (shared/api/*.schemas.ts), which leave out the internal members and add documentation.
 * They describe; nothing parses a stored item with them. The rules of what a firm may write
 * (lengths, formats, normalisation) are the API's input schemas, whose output the use cases
 * turn into these.
 */

/** What every stored entity carries for optimistic concurrency and audit. */
export const Versioned = /* @__PURE__ */ schema(() => z.object({ version: z.int(), createdAt: z.iso.datetime(), updatedAt: z.iso.datetime() }));
export type Versioned = z.infer<typeof Versioned>;

export const Channel = /* @__PURE__ */ schema(() => z.enum(['email', 'sms']));
export type Channel = z.infer<typeof Channel>;

/*
 * Lists of names beside the schemas: the store projects and lists by them, and a bundle that
 * builds no domain schema (dispatch) reads them without building one, nor loading zod
 * (docs/decisions.md, "Cold start: zod/mini, Powertools kept", and "Cold start: plain checks
 * of the configuration and the message").
 * test/unit/domain-members.test.ts holds each list to its schema.
 */
export const TASK_STATUSES = ['open', 'completed'] as const;
export const TaskStatus = /* @__PURE__ */ schema(() => z.enum(TASK_STATUSES));
export type TaskStatus = z.infer<typeof TaskStatus>;

/** Set when an Idempotency-Key created the item (see use-cases/idempotent-create.ts). */
export const IdempotencyRecord = /* @__PURE__ */ schema(() => z.object({ key: z.string(), requestHash: z.string() }));

export const Customer = /* @__PURE__ */ schema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    email: z.string().optional(),
    /** E.164. */
    mobile: z.string().optional(),
    /** Norwegian organisation number, nine digits (MOD11-checked). */
    orgNumber: z.string().optional(),
    /** The firm's own number for the customer. */
    customerNumber: z.string().optional(),
    optIn: z.object({ email: z.boolean(), sms: z.boolean() }),
    /** Set from SES bounce and complaint events: dispatch sends no e-mail to this address. */
    suppressed: z.object({ email: z.object({ address: z.string(), reason: z.enum(['bounce', 'complaint']), at: z.string() }).optional() }).optional(),
    /** Set when the customer answered STOPP to an SMS (which turned `optIn.sms` off); kept while SMS stays off. */
    optOut: z.object({ at: z.string(), via: z.enum(['sms-stopp']) }).optional(),
    idempotency: IdempotencyRecord.optional(),
    ...Versioned.shape,
  }),
);
export type Customer = z.infer<typeof Customer>;

/** Every member a stored customer may have, in the schema's order: a replacement removes those it does not set. */
export const CUSTOMER_MEMBERS = [
  'id',
  'name',
  'email',
  'mobile',
  'orgNumber',
  'customerNumber',
  'optIn',
  'suppressed',
  'optOut',
  'idempotency',
  'version',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof Customer)[];

/** A notice more than this late (an outage) is not sent any more: `skipped too-late`. */
export const DEFAULT_MAX_LATENESS_HOURS = 24;

export const Settings = /* @__PURE__ */ schema(() =>
  z.object({
    firm: z.object({ name: z.string().optional(), email: z.string().optional(), phone: z.string().optional() }),
    timeZone: z.string(),
    emailSender: z.object({ from: z.string(), replyTo: z.string().optional(), displayName: z.string().optional() }).optional(),
    smsAccount: z.object({ username: z.string() }).optional(),
    smsSender: z.string().optional(),
    smsSenderActivated: z.boolean(),
    /** How late a notice may still go out after an outage; absent in settings saved before it existed (the default). */
    maxLatenessHours: z.int().optional(),
    /** Which days notices go out on; absent in settings saved before it existed: `any`. */
    sendOn: SendOn.optional(),
    /** When no SMS goes out; absent in settings saved before it existed: DEFAULT_QUIET_HOURS. */
    quietHours: QuietHours.optional(),
    /** The SMS-pumping guard's countries and caps (shared/domain/sms-limits.ts); absent in settings saved before it existed (the defaults). */
    smsLimits: SmsLimits.optional(),
    /** A raise of those the firm asked for, in force from its `effectiveAt` (shared/domain/sms-limit-changes.ts). */
    smsLimitsPending: SmsLimitsPending.optional(),
    /** Where the SMS password is kept (the secret store); the password itself never is here. */
    smsPassword: z.object({ name: z.string(), versionId: z.string() }).optional(),
    /** The job that re-plans the open tasks after the latest change of time zone (shared/domain/job.ts). */
    timeZoneJobId: z.string().optional(),
    /** A line added at the end of every SMS (`Svar STOPP for å avslutte`); absent: none. */
    smsOptOutLine: z.string().optional(),
    /**
     * The secret in the firm's receipt and inbound-SMS URLs (shared/use-cases/sms-gateway.ts):
     * made at the first save, replaced by a rotation. Shown to the firm only as those URLs.
     */
    gatewaySecret: z.string().optional(),
    ...Versioned.shape,
  }),
);
export type Settings = z.infer<typeof Settings>;

/** What the firm writes in its settings: the rest is kept by Frist. */
export type SettingsFields = Omit<Settings, 'smsPassword' | 'timeZoneJobId' | 'gatewaySecret' | 'smsLimitsPending' | keyof Versioned>;

export const Notice = /* @__PURE__ */ schema(() =>
  z.object({
    id: z.string(),
    when: z.enum(['before', 'after']),
    /** An ISO-8601 duration (shared/domain/offset-duration.ts). */
    offset: z.string(),
    channels: z.array(Channel),
    /** `HH:MM` on the firm's wall clock, for a date-only deadline (default 09:00). */
    sendAt: z.string().optional(),
    subject: z.string().optional(),
    message: z.string(),
    repeat: z.object({ every: z.int(), times: z.int() }).optional(),
    /** Overrides the firm's `sendOn` for this notice. */
    sendOn: SendOn.optional(),
  }),
);
export type Notice = z.infer<typeof Notice>;

export const OccurrenceState = /* @__PURE__ */ schema(() => z.enum(['scheduled', 'past', 'stopped']));
export type OccurrenceState = z.infer<typeof OccurrenceState>;

/** One time a notice goes out (shared/domain/plan-occurrences.ts). */
export const Occurrence = /* @__PURE__ */ schema(() =>
  z.object({
    noticeId: z.string(),
    /** 0 for the notice itself, 1.. for its repetitions. */
    repetition: z.int(),
    /** UTC instant, whole seconds: `2027-02-10T08:00:00Z`. */
    at: z.string(),
    /** The same moment on the tenant's wall clock with its offset: `2027-02-10T09:00+01:00`. */
    local: z.string(),
    state: OccurrenceState,
    /** The task version whose save last (re)wrote this occurrence's schedule. */
    planVersion: z.int().optional(),
    /**
     * The notice's channels that go out at this instant, when not all of them do: quiet hours
     * split an occurrence into e-mail at its time and SMS at the window's end. Absent: all.
     */
    channels: z.array(Channel).optional(),
    /** The instant the notice's offset gives, when the send rules moved it (UTC). */
    movedFrom: z.string().optional(),
    /** The same on the firm's wall clock. */
    movedFromLocal: z.string().optional(),
    /** Why it moved, in order: days left (weekend, holiday with its name), then quiet hours. */
    movedBecause: z.array(MoveReason).optional(),
  }),
);
export type Occurrence = z.infer<typeof Occurrence>;

/** The plan made at a task's save, stored with it. */
export const TaskPlan = /* @__PURE__ */ schema(() =>
  z.object({
    plannedAt: z.string(),
    timeZone: z.string(),
    /** The firm's send rules it was made under; absent in plans made before they existed (RULES_BEFORE_ISSUE_10). */
    sendOn: SendOn.optional(),
    quietHours: QuietHours.optional(),
    occurrences: z.array(Occurrence),
  }),
);
export type TaskPlan = z.infer<typeof TaskPlan>;

export const Task = /* @__PURE__ */ schema(() =>
  z.object({
    id: z.string(),
    title: z.string(),
    customerId: z.string(),
    /** `YYYY-MM-DD`, or an ISO date-time with offset. */
    deadline: z.string().optional(),
    responsible: z.string().optional(),
    description: z.string().optional(),
    status: TaskStatus,
    completedAt: z.string().optional(),
    notices: z.array(Notice),
    plan: TaskPlan,
    idempotency: IdempotencyRecord.optional(),
    /**
     * Counted in its customer's count of tasks (shared/use-cases/customer-holds.ts). Absent on a
     * task saved before the count existed, until its next PUT/PATCH.
     */
    holdsCustomer: z.literal(true).optional(),
    /** The template its notices are a copy of, while they are (shared/domain/template.ts). */
    template: z.object({ id: z.string(), version: z.int(), job: z.string().optional() }).optional(),
    /** The id the firm's other system gives the task, set by an import (unique per firm: the task's id is made from it, shared/use-cases/import-rows.ts). */
    externalId: z.string().optional(),
    ...Versioned.shape,
  }),
);
export type Task = z.infer<typeof Task>;

/** What the firm writes of a task: the rest is its state, its plan and its stamps. */
export type TaskFields = Pick<Task, 'title' | 'customerId' | 'deadline' | 'responsible' | 'description' | 'notices'>;

/** A page of a list; generic, so an interface (zod infers no generics): its schema is pageOf in shared/api/common.schemas.ts. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}
