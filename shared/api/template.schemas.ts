import { JobProblem as StoredJobProblem, JobState } from '../domain/job.ts';
import { Notice as StoredNotice, TaskStatus, Versioned } from '../domain/model.ts';
import { Id, IsoDate, Name, Version } from './common.schemas.ts';
import { mergePatchOf } from './merge-patch.schemas.ts';
import { MAX_NOTICES_PER_TASK, NoticeInput } from './task.schemas.ts';
import * as z from './zod.ts';
import { rule } from './zod.ts';

/** The most task ids one apply takes: a firm's largest register of one kind of task. */
export const MAX_APPLY_TASK_IDS = 5000;

const templateFields = {
  name: Name.openapi({ example: 'MVA-melding' }),
  notices: z.array(NoticeInput).min(1).max(MAX_NOTICES_PER_TASK),
};

export const TemplateCreate = z.strictObject(templateFields).openapi('TemplateCreate');
export const TemplateUpdate = z.strictObject({ ...templateFields, version: Version }).openapi('TemplateUpdate');
export const TemplatePatch = mergePatchOf(TemplateUpdate, 'TemplatePatch');
export type TemplateInput = z.output<typeof TemplateCreate>;

export const Template = z
  .object({
    id: z.string(),
    name: z.string(),
    notices: z.array(z.object(StoredNotice.shape)),
    ...Versioned.shape,
  })
  .openapi('Template');
export type TemplateView = z.infer<typeof Template>;

/** The register's filters (GET /tasks), as a body: `hasNotices` is a boolean here. */
const ApplyFilter = z
  .strictObject({
    customerId: Id.optional(),
    status: TaskStatus.optional(),
    deadlineFrom: IsoDate.optional(),
    deadlineTo: IsoDate.optional(),
    hasNotices: z.boolean().optional(),
  })
  .superRefine((filter, ctx) => {
    if (filter.deadlineFrom && filter.deadlineTo && filter.deadlineFrom > filter.deadlineTo) {
      ctx.addIssue({ code: 'custom', path: ['deadlineTo'], message: 'must not be before deadlineFrom', params: { rule: 'range' } });
    }
  })
  .openapi('ApplyFilter', { description: "The task register's filters (GET /tasks); every task they match is gone through. `{}` is every task." });

export const ApplyRequest = z
  .strictObject({
    taskIds: z
      .array(Id)
      .min(1)
      .max(MAX_APPLY_TASK_IDS)
      .refine((ids) => new Set(ids).size === ids.length, rule('unique', 'must not name a task twice'))
      .optional()
      .openapi({ uniqueItems: true, description: `The tasks, by id (at most ${MAX_APPLY_TASK_IDS}). Give this or \`filter\`.` }),
    filter: ApplyFilter.optional(),
    onlyLinked: z.boolean().default(false).openapi({
      description: 'Only tasks that still follow this template (made from it or given it by an apply, and whose notices were not changed by hand since).',
    }),
    templateVersion: Version.optional().openapi({
      description: 'The template version you read: when the template has moved on since, the answer is 409 and nothing starts.',
    }),
  })
  .superRefine((request, ctx) => {
    if ((request.taskIds === undefined) === (request.filter === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['taskIds'], message: 'give either taskIds or filter, not both and not neither', params: { rule: 'one-of' } });
    }
  })
  .openapi('ApplyRequest');
export type ApplyRequest = z.output<typeof ApplyRequest>;

export const JobProblem = z
  .object({
    taskId: StoredJobProblem.shape.taskId,
    outcome: StoredJobProblem.shape.outcome.meta({
      description: '`skipped`: nothing to do by design; `failed`: the task was left as it was, and the firm should look.',
    }),
    code: StoredJobProblem.shape.code.meta({
      description: '`not-found`, `completed`, `not-linked`, `up-to-date` (skipped); `changed`, `invalid` (failed): docs/api.md says what each means.',
    }),
    message: StoredJobProblem.shape.message,
    errors: StoredJobProblem.shape.errors.meta({ description: 'With `invalid`: the fields and rules the save refused, as a 422 names them.' }),
  })
  .openapi('JobProblem');

export const JobView = z
  .object({
    id: z.string(),
    kind: z
      .enum(['replan-zone', 'apply-template'])
      .openapi({ description: '`apply-template` (POST /templates/{id}/apply) or `replan-zone` (a change of time zone).' }),
    state: JobState.meta({
      description:
        '`queued` until its first step ran, `running`, then `done`; `failed` when it stopped moving and was given up; `superseded` (a time-zone change replaced by a newer one).',
    }),
    template: z.object({ id: z.string(), version: z.int() }).optional().openapi({ description: 'apply-template: the template and the version applied.' }),
    onlyLinked: z.boolean().optional(),
    timeZone: z.string().optional().openapi({ description: 'replan-zone: the new zone.' }),
    total: z.int().optional().openapi({ description: 'Tasks to go through, when the job was given their ids.' }),
    done: z.int().openapi({ description: 'Tasks changed by the job (or found changed by it already).' }),
    skipped: z.int().openapi({ description: 'Tasks left as they were by design (see problems).' }),
    failed: z.int().openapi({ description: 'Tasks left as they were that the firm should look at (see problems).' }),
    problems: z.array(JobProblem).openapi({ description: 'The first tasks skipped or failed, by task id; GET /jobs/{id}/problems pages them all.' }),
    moreProblems: z.boolean().openapi({ description: 'More problems than `problems` shows.' }),
    startedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime().openapi({ description: 'When the job last moved.' }),
    finishedAt: z.iso.datetime().optional(),
  })
  .openapi('Job');
export type JobView = z.infer<typeof JobView>;
