import { Cursor, Limit, pageOf } from '../../shared/api/common.schemas.ts';
import { ApplyRequest, JobProblem, JobView, Template, TemplateCreate, TemplatePatch, TemplateUpdate } from '../../shared/api/template.schemas.ts';
import * as z from '../../shared/api/zod.ts';
import type { Job } from '../../shared/domain/job.ts';
import type { Ports } from '../../shared/ports.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { startApplyJob } from '../../shared/use-cases/apply-template-job.ts';
import { createTemplate, deleteTemplate, getTemplate, listTemplates, templateInput, templateView, updateTemplate } from '../../shared/use-cases/templates.ts';
import { mergePatchRoute } from './merge-patch-route.ts';
import { route, type Route } from './route.ts';

const PageQuery = z.strictObject({ limit: Limit, cursor: Cursor });

/** Problems GET /jobs/{id} shows itself; GET /jobs/{id}/problems pages the rest. */
const PROBLEMS_SHOWN = 20;

/** A job as the API shows it, whatever its kind, with its first problems. */
async function jobView(ports: Ports, tenantId: string, job: Job): Promise<z.infer<typeof JobView>> {
  const { id, kind, state, startedAt, updatedAt, finishedAt } = job;
  const problems = await ports.store.listJobProblems(tenantId, id, { limit: PROBLEMS_SHOWN });
  const stamps = { startedAt, updatedAt, ...(finishedAt ? { finishedAt } : {}) };
  const shown = { problems: problems.items, moreProblems: problems.nextCursor !== undefined };
  if (job.kind === 'replan-zone') return { id, kind, state, timeZone: job.timeZone, done: job.replanned, skipped: 0, failed: job.failed, ...shown, ...stamps };
  const { templateId, templateVersion, onlyLinked, total, done, skipped, failed } = job;
  return {
    id,
    kind,
    state,
    template: { id: templateId, version: templateVersion },
    onlyLinked,
    ...(total !== undefined ? { total } : {}),
    done,
    skipped,
    failed,
    ...shown,
    ...stamps,
  };
}

async function readJob(ports: Ports, tenantId: string, id: string): Promise<Job> {
  const job = await ports.store.getJob(tenantId, id);
  if (!job) throw new NotFoundError(`no job ${id}`);
  return job;
}

const putTemplate = route({
  method: 'PUT',
  path: '/templates/{id}',
  summary: 'Replace a notice template (tasks made from it do not change: apply it again)',
  tag: 'templates',
  status: 200,
  body: TemplateUpdate,
  response: Template,
  refusals: [404, 409, 422],
  run: ({ ports, tenantId, params, body }) => updateTemplate(ports, tenantId, params.id!, body),
});

export const TEMPLATE_ROUTES: Route[] = [
  route({
    method: 'POST',
    path: '/templates',
    summary: 'Create a notice template',
    tag: 'templates',
    status: 201,
    body: TemplateCreate,
    response: Template,
    refusals: [409, 422],
    idempotent: true,
    run: ({ ports, tenantId, body, idempotency }) => createTemplate(ports, tenantId, body, idempotency),
  }),
  route({
    method: 'GET',
    path: '/templates',
    summary: "The firm's notice templates by name",
    tag: 'templates',
    status: 200,
    query: PageQuery,
    response: pageOf(Template),
    refusals: [422],
    run: ({ ports, tenantId, query }) => listTemplates(ports, tenantId, query),
  }),
  route({
    method: 'GET',
    path: '/templates/{id}',
    summary: 'Read a notice template',
    tag: 'templates',
    status: 200,
    response: Template,
    refusals: [404],
    run: async ({ ports, tenantId, params }) => templateView(await getTemplate(ports, tenantId, params.id!)),
  }),
  putTemplate,
  mergePatchRoute(putTemplate, {
    summary: 'Change some fields of a notice template (merge patch); `notices` is replaced whole',
    schema: TemplatePatch,
    item: 'the template',
    stored: async ({ ports, tenantId, params }) => templateInput(await getTemplate(ports, tenantId, params.id!)),
  }),
  route({
    method: 'DELETE',
    path: '/templates/{id}',
    summary: 'Delete a notice template (tasks keep their notices)',
    tag: 'templates',
    status: 204,
    refusals: [404, 409],
    run: ({ ports, tenantId, params }) => deleteTemplate(ports, tenantId, params.id!),
  }),
  route({
    method: 'POST',
    path: '/templates/{id}/apply',
    summary: "Give many tasks the template's notices, in the background (a job)",
    tag: 'templates',
    status: 202,
    body: ApplyRequest,
    response: JobView,
    refusals: [404, 409, 422],
    idempotent: true,
    run: async ({ ports, tenantId, params, body, idempotency }) =>
      jobView(ports, tenantId, await startApplyJob(ports, tenantId, params.id!, body, idempotency)),
  }),
  route({
    method: 'GET',
    path: '/jobs/{id}',
    summary: 'A background job: its state, counts and first problems',
    tag: 'jobs',
    status: 200,
    response: JobView,
    refusals: [404],
    run: async ({ ports, tenantId, params }) => jobView(ports, tenantId, await readJob(ports, tenantId, params.id!)),
  }),
  route({
    method: 'GET',
    path: '/jobs/{id}/problems',
    summary: 'Every task a job skipped or failed, by task id',
    tag: 'jobs',
    status: 200,
    query: PageQuery,
    response: pageOf(JobProblem),
    refusals: [404, 422],
    run: async ({ ports, tenantId, params, query }) => {
      await readJob(ports, tenantId, params.id!);
      return ports.store.listJobProblems(tenantId, params.id!, query);
    },
  }),
];
