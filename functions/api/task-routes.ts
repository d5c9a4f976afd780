import { DeliveryList, DocumentQuery, DocumentSummary, SmsDocument } from '../../shared/api/delivery.schemas.ts';
import { pageOf } from '../../shared/api/common.schemas.ts';
import { Plan, RegisterPage, Task, TaskCreate, TaskDeleted, TaskPatch, TaskQuery, TaskUpdate } from '../../shared/api/task.schemas.ts';
import { getDocument, listDeliveries, listDocuments } from '../../shared/use-cases/deliveries.ts';
import { getPlan } from '../../shared/use-cases/plan-view.ts';
import { createTask, deleteTask, getTask, listTasks, readTaskView, setTaskStatus, taskInput, updateTask } from '../../shared/use-cases/tasks.ts';
import { mergePatchRoute } from './merge-patch-route.ts';
import { route, type Route } from './route.ts';

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

/** A task, its status and its plan. */
export const TASK_ROUTES: Route[] = [
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
    response: RegisterPage,
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

/** What was sent: a task's deliveries and the document center. */
export const DOCUMENT_ROUTES: Route[] = [
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
