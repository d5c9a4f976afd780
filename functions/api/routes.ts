import { Customer, CustomerCreate, CustomerPatch, CustomerUpdate } from '../../shared/api/customer.schemas.ts';
import { DeliveryList, DocumentQuery, DocumentSummary, SmsDocument } from '../../shared/api/delivery.schemas.ts';
import { Cursor, Limit, pageOf } from '../../shared/api/common.schemas.ts';
import { MergeCodeList, Preview, PreviewRequest } from '../../shared/api/preview.schemas.ts';
import { Settings, SettingsPatch, SettingsUpdate, TimeZoneChange } from '../../shared/api/settings.schemas.ts';
import { Plan, Task, TaskCreate, TaskDeleted, TaskPatch, TaskQuery, TaskUpdate } from '../../shared/api/task.schemas.ts';
import * as z from '../../shared/api/zod.ts';
import { MERGE_CODES } from '../../shared/domain/merge-codes.ts';
import type { ZoneChangeJob } from '../../shared/domain/job.ts';
import { DEFAULT_MAX_LATENESS_HOURS, type Customer as StoredCustomer } from '../../shared/domain/model.ts';
import { createCustomer, customerInput, deleteCustomer, getCustomer, listCustomers, updateCustomer } from '../../shared/use-cases/customers.ts';
import { getDocument, listDeliveries, listDocuments } from '../../shared/use-cases/deliveries.ts';
import { getPlan } from '../../shared/use-cases/plan-view.ts';
import { previewNotice } from '../../shared/use-cases/preview-notice.ts';
import { readSettings, saveSettings, type SettingsWithJob } from '../../shared/use-cases/save-settings.ts';
import { getSettings, settingsInput } from '../../shared/use-cases/settings.ts';
import { createTask, deleteTask, getTask, listTasks, readTaskView, setTaskStatus, taskInput, updateTask } from '../../shared/use-cases/tasks.ts';
import { gatewayUrls, rotateGatewaySecret } from '../../shared/use-cases/sms-gateway.ts';
import { DOCS_ROUTES } from './docs-page.ts';
import { GATEWAY_ROUTES } from './gateway-routes.ts';
import { TEMPLATE_ROUTES } from './template-routes.ts';
import { WEBHOOK_ROUTES } from './webhook-routes.ts';
import { mergePatchRoute } from './merge-patch-route.ts';
import { firmRules } from '../../shared/domain/send-rules.ts';
import { smsLimitsOf } from '../../shared/domain/sms-limits.ts';
import { route, type Route, type RouteInput } from './route.ts';

const CustomerQuery = z.strictObject({
  namePrefix: z.string().max(200).trim().min(1).optional().openapi({ description: 'Only customers whose name starts with this (case-insensitive).' }),
  limit: Limit,
  cursor: Cursor,
});

/**
 * The settings as the API shows them: the password reference becomes `passwordSet`, the job
 * of the latest change of time zone its progress, and the gateway secret the URLs to paste.
 */
function settingsView(
  { settings, timeZoneChange: job }: SettingsWithJob,
  { ports, tenantId, apiOrigin }: RouteInput<unknown, unknown>,
): z.infer<typeof Settings> {
  const { smsPassword, smsAccount, timeZoneJobId: _jobId, gatewaySecret, ...rest } = settings;
  return {
    ...rest,
    maxLatenessHours: rest.maxLatenessHours ?? DEFAULT_MAX_LATENESS_HOURS,
    ...firmRules(rest),
    smsLimits: smsLimitsOf(rest),
    createdAt: rest.createdAt || undefined,
    updatedAt: rest.updatedAt || undefined,
    smsAccount: { username: smsAccount?.username, passwordSet: smsPassword !== undefined },
    smsDefaultSender: ports.defaults.smsSender,
    ...(job ? { timeZoneChange: zoneChangeView(job) } : {}),
    ...(gatewaySecret ? { smsGateway: gatewayUrls(apiOrigin, ports.defaults.smsProvider, tenantId, gatewaySecret) } : {}),
  };
}

function zoneChangeView(job: ZoneChangeJob): z.infer<typeof TimeZoneChange> {
  const { id, state, timeZone, replanned, failed, startedAt, updatedAt, finishedAt } = job;
  return { jobId: id, state, timeZone, replanned, failed, startedAt, updatedAt, ...(finishedAt ? { finishedAt } : {}) };
}

/** A customer as the API shows it: without the idempotency record of its creation. */
function customerView(customer: StoredCustomer): z.infer<typeof Customer> {
  const { idempotency: _idempotency, ...view } = customer;
  return view;
}

const health = route({
  method: 'GET',
  path: '/health',
  summary: 'Liveness',
  tag: 'meta',
  public: true,
  status: 200,
  response: z.object({ status: z.literal('ok') }),
  run: async () => ({ status: 'ok' as const }),
});

const mergeCodes: Route[] = [
  route({
    method: 'GET',
    path: '/merge-codes',
    summary: 'The merge-code catalogue',
    tag: 'notices',
    status: 200,
    response: MergeCodeList,
    run: async () => ({
      items: MERGE_CODES.map(({ code, alias, description, example }) => ({
        code,
        placeholder: `{{${code}}}`,
        alias,
        aliasPlaceholder: `{{${alias}}}`,
        description,
        example,
      })),
    }),
  }),
  route({
    method: 'POST',
    path: '/notices/preview',
    summary: 'Render a notice text for a task and channel',
    tag: 'notices',
    status: 200,
    body: PreviewRequest,
    response: Preview,
    refusals: [404, 422],
    run: ({ ports, tenantId, body }) => previewNotice(ports, tenantId, body),
  }),
];

const putSettings = route({
  method: 'PUT',
  path: '/settings',
  summary: "Replace the firm's settings",
  tag: 'settings',
  status: 200,
  body: SettingsUpdate,
  response: Settings,
  refusals: [409, 422],
  run: async (input) => settingsView(await saveSettings(input.ports, input.tenantId, input.body), input),
});

const settings: Route[] = [
  route({
    method: 'GET',
    path: '/settings',
    summary: "The firm's settings",
    tag: 'settings',
    status: 200,
    response: Settings,
    run: async (input) => settingsView(await readSettings(input.ports, input.tenantId), input),
  }),
  route({
    method: 'POST',
    path: '/settings/sms-gateway/rotate',
    summary: "Replace the secret in the firm's SMS gateway URLs (the old ones stop working)",
    tag: 'settings',
    status: 200,
    response: Settings,
    refusals: [409],
    run: async (input) => {
      await rotateGatewaySecret(input.ports, input.tenantId);
      return settingsView(await readSettings(input.ports, input.tenantId), input);
    },
  }),
  putSettings,
  mergePatchRoute(putSettings, {
    summary: "Change some of the firm's settings (merge patch); the rest stays",
    schema: SettingsPatch,
    item: 'the settings',
    stored: async ({ ports, tenantId }) => settingsInput(await getSettings(ports, tenantId)),
    writeOnly: [['smsAccount', 'password']],
  }),
];

const putCustomer = route({
  method: 'PUT',
  path: '/customers/{id}',
  summary: 'Replace a customer',
  tag: 'customers',
  status: 200,
  body: CustomerUpdate,
  response: Customer,
  refusals: [404, 409, 422],
  run: async ({ ports, tenantId, params, body }) => customerView(await updateCustomer(ports, tenantId, params.id!, body)),
});

const customers: Route[] = [
  route({
    method: 'POST',
    path: '/customers',
    summary: 'Register a customer',
    tag: 'customers',
    status: 201,
    body: CustomerCreate,
    response: Customer,
    refusals: [409, 422],
    idempotent: true,
    run: async ({ ports, tenantId, body, idempotency }) => customerView(await createCustomer(ports, tenantId, body, idempotency)),
  }),
  route({
    method: 'GET',
    path: '/customers',
    summary: 'List customers by name',
    tag: 'customers',
    status: 200,
    query: CustomerQuery,
    response: pageOf(Customer),
    refusals: [422],
    run: async ({ ports, tenantId, query }) => {
      const page = await listCustomers(ports, tenantId, query);
      return { ...page, items: page.items.map(customerView) };
    },
  }),
  route({
    method: 'GET',
    path: '/customers/{id}',
    summary: 'Read a customer',
    tag: 'customers',
    status: 200,
    response: Customer,
    refusals: [404],
    run: async ({ ports, tenantId, params }) => customerView(await getCustomer(ports, tenantId, params.id!)),
  }),
  putCustomer,
  mergePatchRoute(putCustomer, {
    summary: 'Change some fields of a customer (merge patch); the rest stays',
    schema: CustomerPatch,
    item: 'the customer',
    stored: async ({ ports, tenantId, params }) => customerInput(await getCustomer(ports, tenantId, params.id!)),
  }),
  route({
    method: 'DELETE',
    path: '/customers/{id}',
    summary: 'Delete a customer without tasks',
    tag: 'customers',
    status: 204,
    refusals: [404, 409],
    run: ({ ports, tenantId, params }) => deleteCustomer(ports, tenantId, params.id!),
  }),
];

const putTask = route({
  method: 'PUT',
  path: '/tasks/{id}',
  summary: 'Replace a task and its notices',
  tag: 'tasks',
  status: 200,
  body: TaskUpdate,
  response: Task,
  refusals: [404, 409, 422],
  run: ({ ports, tenantId, params, body }) => updateTask(ports, tenantId, params.id!, body),
});

const tasks: Route[] = [
  route({
    method: 'POST',
    path: '/tasks',
    summary: 'Create a task with its notices',
    tag: 'tasks',
    status: 201,
    body: TaskCreate,
    response: Task,
    refusals: [409, 422],
    idempotent: true,
    run: ({ ports, tenantId, body, idempotency }) => createTask(ports, tenantId, body, idempotency),
  }),
  route({
    method: 'GET',
    path: '/tasks',
    summary: 'The task register',
    tag: 'tasks',
    status: 200,
    query: TaskQuery,
    response: pageOf(Task),
    refusals: [422],
    run: ({ ports, tenantId, query }) => listTasks(ports, tenantId, query),
  }),
  route({
    method: 'GET',
    path: '/tasks/{id}',
    summary: 'Read a task',
    tag: 'tasks',
    status: 200,
    response: Task,
    refusals: [404],
    run: async ({ ports, tenantId, params }) => readTaskView(ports, tenantId, await getTask(ports, tenantId, params.id!)),
  }),
  putTask,
  mergePatchRoute(putTask, {
    summary: 'Change some fields of a task (merge patch); the rest stays, `notices` is replaced whole',
    schema: TaskPatch,
    item: 'the task',
    stored: async ({ ports, tenantId, params }) => taskInput(await getTask(ports, tenantId, params.id!)),
  }),
  route({
    method: 'DELETE',
    path: '/tasks/{id}',
    summary: 'Delete a task: no notice of it goes out any more',
    tag: 'tasks',
    status: 200,
    response: TaskDeleted,
    refusals: [404, 409],
    run: ({ ports, tenantId, params }) => deleteTask(ports, tenantId, params.id!),
  }),
  route({
    method: 'POST',
    path: '/tasks/{id}/complete',
    summary: 'Complete a task: its pending notices stop',
    tag: 'tasks',
    status: 200,
    response: Task,
    refusals: [404, 409],
    run: ({ ports, tenantId, params }) => setTaskStatus(ports, tenantId, params.id!, 'completed'),
  }),
  route({
    method: 'POST',
    path: '/tasks/{id}/reopen',
    summary: 'Reopen a task: its future notices are planned again',
    tag: 'tasks',
    status: 200,
    response: Task,
    refusals: [404, 409],
    run: ({ ports, tenantId, params }) => setTaskStatus(ports, tenantId, params.id!, 'open'),
  }),
  route({
    method: 'GET',
    path: '/tasks/{id}/plan',
    summary: 'When each notice occurrence goes out',
    tag: 'tasks',
    status: 200,
    response: Plan,
    refusals: [404],
    run: ({ ports, tenantId, params }) => getPlan(ports, tenantId, params.id!),
  }),
];

const documents: Route[] = [
  route({
    method: 'GET',
    path: '/tasks/{id}/deliveries',
    summary: 'Every occurrence and channel of a task with its delivery state',
    tag: 'documents',
    status: 200,
    response: DeliveryList,
    refusals: [404],
    run: ({ ports, tenantId, params }) => listDeliveries(ports, tenantId, params.id!),
  }),
  route({
    method: 'GET',
    path: '/documents',
    summary: 'The document center of a customer and/or a task, newest first',
    tag: 'documents',
    status: 200,
    query: DocumentQuery,
    response: pageOf(DocumentSummary),
    refusals: [422],
    run: ({ ports, tenantId, query }) => listDocuments(ports, tenantId, query),
  }),
  route({
    method: 'GET',
    path: '/documents/{id}',
    summary: 'A filed copy: the .eml as sent, or the SMS record',
    tag: 'documents',
    status: 200,
    response: SmsDocument,
    rawResponseTypes: ['message/rfc822'],
    refusals: [404],
    run: async ({ ports, tenantId, params }) => {
      const { document, content } = await getDocument(ports, tenantId, params.id!);
      return {
        statusCode: 200,
        headers: {
          'content-type': document.contentType === 'message/rfc822' ? 'message/rfc822' : 'application/json; charset=utf-8',
          'content-disposition': `inline; filename="${document.id}.${document.channel === 'email' ? 'eml' : 'json'}"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
        body: content.toString('base64'),
        isBase64Encoded: true,
      };
    },
  }),
];

/** Every route but /openapi.json, which is generated from this table (see openapi.ts), and the reference page /docs (docs-page.ts). */
export const ROUTES: Route[] = [
  health,
  ...mergeCodes,
  ...settings,
  ...customers,
  ...tasks,
  ...TEMPLATE_ROUTES,
  ...documents,
  ...GATEWAY_ROUTES,
  ...WEBHOOK_ROUTES,
];

/** `METHOD /path` of the routes served without a token: the authorizer skips them. */
export const PUBLIC_ROUTE_KEYS: readonly string[] = [
  ...ROUTES.filter((r) => r.public).map((r) => `${r.method} ${r.path}`),
  'GET /openapi.json',
  ...DOCS_ROUTES.map((r) => `GET ${r.path}`),
];
