import { describeMergeCodeProblem, findMergeCodeProblems } from '../domain/merge-codes.ts';
import { MAX_OFFSET_DAYS, OFFSET_PATTERN, parseOffset } from '../domain/offset-duration.ts';
import { Attention as StoredAttention } from '../domain/attention.ts';
import { Delivery } from '../domain/delivery.ts';
import { Channel, Notice as StoredNotice, Occurrence, Task as StoredTask, TaskPlan, TaskStatus, Versioned } from '../domain/model.ts';
import { SaveWarning } from '../domain/save-warnings.ts';
import { Id, IsoDate, Limit, Cursor, pageOf, Version } from './common.schemas.ts';
import { DeliveryStateShown } from './delivery.schemas.ts';
import { mergePatchOf } from './merge-patch.schemas.ts';
import { SendOnInput } from './settings.schemas.ts';
import { MoveReason } from '../domain/send-rules.ts';
import * as z from './zod.ts';
import { rule } from './zod.ts';

export const MAX_NOTICES_PER_TASK = 10;

const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * What the refinement below accepts, as a pattern for /openapi.json: a date, or a date-time
 * with seconds (z.iso.datetime wants them) and an offset. The refinement also checks the calendar.
 */
const DEADLINE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?(Z|[+-]\\d{2}:\\d{2}))?$';

/** Deadlines compare as text: any that starts with this year or a later one is refused. */
const LAST_DEADLINE_YEAR = '9000';

export const Deadline = z
  .string()
  .max(40)
  .refine(
    // Before the year 9000: the last notice of a deadline (a year after it, repeated for
    // twelve years more) must still be a time the Scheduler's at() can say (at most year 9999).
    (value) =>
      value < LAST_DEADLINE_YEAR &&
      (IsoDate.safeParse(value).success || (DATE_TIME_WITH_OFFSET.test(value) && z.iso.datetime({ offset: true }).safeParse(value).success)),
    rule('deadline', 'must be a date YYYY-MM-DD or a date-time with offset, e.g. 2027-02-10T14:00:00+01:00, before the year 9000'),
  )
  .openapi({ example: '2027-02-10', pattern: DEADLINE_PATTERN, description: 'A date `YYYY-MM-DD`, or an ISO date-time with offset.' });

/** A template with merge codes: every code must be in the catalogue. */
export function mergeTemplate(max: number) {
  return z
    .string()
    .max(max)
    .trim()
    .min(1)
    .superRefine((value, ctx) => {
      for (const problem of findMergeCodeProblems(value)) {
        ctx.addIssue({
          code: 'custom',
          message: describeMergeCodeProblem(problem),
          params: { rule: problem.kind === 'unknown' ? 'merge-code' : 'merge-code-syntax', ...(problem.kind === 'unknown' ? { code: problem.code } : {}) },
        });
      }
    });
}

const Offset = z
  .string()
  .max(32)
  .superRefine((value, ctx) => {
    const parsed = parseOffset(value);
    if (parsed === 'format') {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 duration such as P3D, PT2H, P1W, P1M or PT0S', params: { rule: 'duration' } });
    } else if (parsed === 'too-long') {
      ctx.addIssue({ code: 'custom', message: `must be at most a year: ${MAX_OFFSET_DAYS} days or 12 months`, params: { rule: 'duration-max' } });
    }
  })
  .openapi({ example: 'P3D', pattern: OFFSET_PATTERN, description: 'An ISO-8601 duration (no years, no fractions), at most a year.' });

const SendAt = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time of day HH:MM, 00:00-23:59' })
  .openapi({ example: '09:00', description: 'Local time of day to send, for date-only deadlines. Default 09:00.' });

export const NoticeInput = z
  .strictObject({
    id: Id.optional().openapi({ description: 'Keep the id of an existing notice when updating; omit for a new one.' }),
    when: StoredNotice.shape.when,
    offset: Offset,
    channels: z
      .array(Channel)
      .min(1)
      .max(2)
      .refine((list) => new Set(list).size === list.length, rule('unique', 'must not name a channel twice'))
      .openapi({ uniqueItems: true }),
    sendAt: SendAt.optional(),
    sendOn: z
      .enum(SendOnInput.options)
      .optional()
      .openapi({ description: "`businessDays` or `any`: overrides the firm's `sendOn` for this notice (see the settings); omit to follow the firm." }),
    subject: mergeTemplate(200).optional(),
    message: mergeTemplate(2000),
    repeat: z
      .strictObject({
        every: z.int().min(1).max(365).openapi({ description: 'Days between repetitions.' }),
        times: z.int().min(1).max(12).openapi({ description: 'Repetitions after the first notice.' }),
      })
      .optional(),
  })
  .superRefine((notice, ctx) => {
    if (notice.channels.includes('email') && !notice.subject) {
      ctx.addIssue({ code: 'custom', path: ['subject'], message: 'is required for an e-mail notice', params: { rule: 'required' } });
    }
    if (notice.repeat && notice.when !== 'after') {
      ctx.addIssue({ code: 'custom', path: ['repeat'], message: 'only after-deadline notices repeat', params: { rule: 'repeat-after-only' } });
    }
  })
  .openapi('NoticeInput');

const taskFields = {
  title: z.string().max(200).trim().min(1).openapi({ example: 'MVA-melding 6. termin' }),
  customerId: Id,
  deadline: Deadline.optional(),
  responsible: z.string().max(200).trim().min(1).optional(),
  description: z.string().max(4000).trim().optional(),
  notices: z.array(NoticeInput).max(MAX_NOTICES_PER_TASK).default([]),
};

function requireDeadlineForNotices(task: { deadline?: string; notices: { when: string; offset: string }[] }, ctx: z.RefinementCtx) {
  if (task.notices.length > 0 && !task.deadline) {
    ctx.addIssue({ code: 'custom', path: ['notices'], message: 'notices can only be set on a task with a deadline', params: { rule: 'deadline-required' } });
  }
  if (!task.deadline || !IsoDate.safeParse(task.deadline).success) return;
  // A date-only deadline lasts the whole day: "after" less than a day would go out while the
  // deadline has not passed yet.
  task.notices.forEach((notice, index) => {
    const offset = parseOffset(notice.offset);
    if (notice.when === 'after' && typeof offset === 'object' && offset.months + offset.weeks + offset.days === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['notices', index, 'offset'],
        message:
          'after a date-only deadline, the offset must be at least a day (P1D: the day after); for a notice on the deadline day, use when "before" with P0D',
        params: { rule: 'after-date-only' },
      });
    }
  });
}

export const TaskCreate = z
  .strictObject({
    ...taskFields,
    templateId: Id.optional().openapi({
      description:
        "A notice template (GET /templates): the task's notices are a copy of its notices, and the task remembers the template and its version. Leave `notices` out then.",
    }),
  })
  .superRefine(requireDeadlineForNotices)
  .superRefine((task, ctx) => {
    if (task.templateId !== undefined && task.notices.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['notices'], message: 'give either notices or templateId, not both', params: { rule: 'one-of' } });
    }
  })
  .openapi('TaskCreate');

export const TaskUpdate = z
  .strictObject({ ...taskFields, version: Version })
  .superRefine(requireDeadlineForNotices)
  .openapi('TaskUpdate');

/** What a create or update writes, as the use cases receive it: a new notice has no id yet. */
export type TaskInput = z.output<typeof TaskCreate>;
export type NoticeInput = z.output<typeof NoticeInput>;

/** A notice as the API shows it: as stored. */
export const Notice = z.object(StoredNotice.shape).openapi('Notice');

const delivery = Delivery.shape;

const InFlight = z
  .object({
    deliveryId: delivery.id,
    noticeId: delivery.noticeId,
    occurrenceAt: delivery.occurrenceAt,
    channel: delivery.channel,
    claimedUntil: delivery.claimedUntil
      .unwrap()
      .meta({ description: 'Until when the sending attempt holds the delivery; its outcome is in GET /tasks/{id}/deliveries.' }),
  })
  .openapi('InFlight');
export type InFlight = z.infer<typeof InFlight>;

const InFlightUnknown = z.literal(true).optional().openapi({
  description: 'The change is saved, but the sends under way could not be listed (the database failed just after): see GET /tasks/{id}/deliveries.',
});

/** The register's warning mark of a task (shared/domain/attention.ts). */
const Attention = StoredAttention.safeExtend({
  code: StoredAttention.shape.code.meta({
    description:
      'The skip reason (`no-address`, `opted-out`, `suppressed`, `country-not-allowed`, `rate-limited`) or the failure code (`no-sms-account`, `too-long`, `ses-message-rejected`, ...).',
  }),
}).openapi('Attention', {
  description:
    'On reads (GET /tasks, GET /tasks/{id}): the latest delivery of a channel failed, or was skipped for a reason the firm can act on (no address, opted out, suppressed, a country or an SMS cap of the SMS-pumping guard). A later delivery sent on that channel clears it; skips for a completed, re-planned or too-late notice never raise it.',
});

// What the API shows of the stored task: not its plan, nor the idempotency record of its creation.
const { id, title, customerId, deadline, responsible, description, status, completedAt } = StoredTask.shape;

/**
 * A task as the API shows it: the stored task's own members, with the clock mark, the next
 * notice time and, on the answer of a save, what it settled; on a read, its customer's name
 * and the warning mark. The stamps stay last.
 */
export const Task = z
  .object({
    id,
    title,
    customerId,
    customerName: z.string().optional().openapi({ description: 'On reads (GET /tasks, GET /tasks/{id}): the name of the task’s customer as it is now.' }),
    deadline,
    responsible,
    description,
    status,
    completedAt,
    notices: z.array(Notice),
    hasNotices: z.boolean().openapi({ description: 'The clock mark of the task register.' }),
    nextNoticeAt: z.string().optional().openapi({ description: 'UTC instant of the next notice still to go out.' }),
    schedules: z
      .object({ pending: z.int(), fired: z.int() })
      .openapi({ description: 'Schedules waiting for their time, and schedules whose time has come (see GET /tasks/{id}/deliveries).' }),
    inFlight: z.array(InFlight).optional().openapi({
      description:
        'On the answer of an update, completion or reopening: sends of removed occurrences that had already started when the change was saved. They finish; nothing else of the removed occurrences goes out.',
    }),
    inFlightUnknown: InFlightUnknown,
    warnings: z.array(SaveWarning).optional().openapi({
      description: 'On the answer of a create or update: what the save accepted but the firm should know (docs/api.md lists the codes). The save succeeded.',
    }),
    attention: Attention.optional(),
    template: z.object({ id: z.string(), version: z.int() }).optional().openapi({
      description:
        'The notice template the notices are a copy of, and its version: set by a create with `templateId` or by POST /templates/{id}/apply; gone once the notices are changed by hand.',
    }),
    externalId: z.string().optional().openapi({
      description:
        "The id the firm's other system gives the task, set by POST /imports (unique in the firm; read-only): importing the file again finds the task by it.",
    }),
    ...Versioned.shape,
  })
  .openapi('Task');
export type TaskView = z.infer<typeof Task>;

/** The register's page: the tasks, and the ids of those that could not be read. */
export const RegisterPage = pageOf(Task)
  .extend({
    unreadable: z
      .array(z.object({ id: z.string() }))
      .optional()
      .openapi({
        description:
          'Only when some tasks of this page could not be read (a damaged stored task): their ids. They are left out of `items` (which is then short by as many), and GET /tasks/{id} answers 500 `stored-task-unreadable` for each; the operator has them in the log.',
      }),
  })
  .openapi('RegisterPage');
export type RegisterPage = z.infer<typeof RegisterPage>;

export const TaskDeleted = z
  .object({
    id: z.string(),
    inFlight: z.array(InFlight).openapi({ description: 'Sends of the task that had already started when it was deleted: they finish; nothing else goes out.' }),
    inFlightUnknown: InFlightUnknown,
  })
  .openapi('TaskDeleted');
export type TaskDeletedView = z.infer<typeof TaskDeleted>;

export const TaskQuery = z
  .strictObject({
    customerId: Id.optional(),
    status: TaskStatus.optional(),
    deadlineFrom: IsoDate.optional(),
    deadlineTo: IsoDate.optional(),
    hasNotices: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    limit: Limit,
    cursor: Cursor,
  })
  .superRefine((query, ctx) => {
    if (query.deadlineFrom && query.deadlineTo && query.deadlineFrom > query.deadlineTo) {
      ctx.addIssue({ code: 'custom', path: ['deadlineTo'], message: 'must not be before deadlineFrom', params: { rule: 'range' } });
    }
  });

export type TaskQuery = z.output<typeof TaskQuery>;

const occurrence = Occurrence.shape;

/** Where an occurrence's schedule stands (see scheduleState in shared/use-cases/tasks.ts). */
const ScheduleState = z.enum(['pending', 'fired', 'none']);
export type ScheduleState = z.infer<typeof ScheduleState>;

/** What became of one channel of an occurrence, as its delivery record says. */
const OccurrenceDelivery = z.object({ channel: Channel, state: DeliveryStateShown, reason: z.string().optional() });

export const Plan = z
  .object({
    taskId: StoredTask.shape.id,
    status: TaskStatus,
    timeZone: TaskPlan.shape.timeZone,
    plannedAt: TaskPlan.shape.plannedAt.meta({ description: 'When the plan was made (the last save); occurrences due by then are past.' }),
    occurrences: z.array(
      z.object({
        noticeId: occurrence.noticeId,
        repetition: occurrence.repetition,
        at: occurrence.at.meta({ example: '2027-02-07T08:00:00Z' }),
        local: occurrence.local.meta({ example: '2027-02-07T09:00+01:00' }),
        channels: StoredNotice.shape.channels.meta({
          description:
            "The channels that go out at this instant: the notice's, or part of them when quiet hours hold its SMS to another instant (then the notice has two occurrences with one repetition).",
        }),
        movedFrom: occurrence.movedFrom.meta({
          description: "UTC instant the notice's offset gives, when the send rules moved it to `at`.",
          example: '2027-05-17T07:00:00Z',
        }),
        movedFromLocal: occurrence.movedFromLocal.meta({ description: "The same on the firm's wall clock.", example: '2027-05-17T09:00+02:00' }),
        movedBecause: z
          .array(
            MoveReason.extend({
              kind: MoveReason.shape.kind.meta({
                description:
                  '`weekend` or `holiday` (a day left under business days), `quiet-hours` (an SMS held to the window’s end, or, a before-notice’s that would then be after the deadline or after a day off, moved to half an hour before the window).',
              }),
              date: MoveReason.shape.date.meta({ description: 'The local date left (weekend, holiday).', example: '2027-05-17' }),
              holiday: MoveReason.shape.holiday.meta({ description: 'The public holiday’s Norwegian name.', example: 'Grunnlovsdagen' }),
            }),
          )
          .optional()
          .openapi({ description: 'Why it moved, in order: each day left, then quiet hours. Absent when it did not move.' }),
        state: occurrence.state,
        schedule: ScheduleState.openapi({ description: 'pending: its schedule waits; fired: its time came; none: never scheduled, or removed by completion.' }),
        planVersion: occurrence.planVersion.meta({ description: 'The task version whose save wrote this occurrence’s schedule.' }),
        deliveries: z.array(OccurrenceDelivery).openapi({
          description:
            'What its delivery records say, per channel: sent, skipped or failed (with why), or pending. Empty until dispatch has handled it. `state` above is about planning: a `past` occurrence may have been sent before a re-plan.',
        }),
      }),
    ),
  })
  .openapi('Plan');
export type PlanView = z.infer<typeof Plan>;

/**
 * A merge patch of a task (PATCH /tasks/{id}): what it leaves out stays as stored. `notices`
 * is an array, so a patch that names it replaces the whole list (RFC 7396).
 */
export const TaskPatch = mergePatchOf(TaskUpdate, 'TaskPatch');
