import type { Task, TaskCreate, TaskPatch } from '../api/task-queries';
import { deadlineOf, deadlineParts } from './deadline';

/** The detail fields of a task as the form holds them: text inputs, the deadline as date and time. */
export interface TaskFormValues extends Record<string, unknown> {
  title: string;
  customerId: string;
  deadlineDate: string;
  deadlineTime: string;
  responsible: string;
  description: string;
  /** A new task only: the template whose notices it starts with ('' for none). */
  templateId: string;
}

/** The form's fields; the API's `deadline` (and `notices deadline-required`) show at the date. */
export const TASK_FORM_FIELDS = ['title', 'customerId', 'deadlineDate', 'deadlineTime', 'responsible', 'description', 'templateId'] as const;
export const TASK_FIELD_NAMES = { deadline: 'deadlineDate', notices: 'deadlineDate' };
/** Checked as the user types: a length rule shows at once. */
export const TASK_LIVE_FIELDS = ['title', 'responsible', 'description'] as const;

export function formValuesOf(task: Task | undefined, timeZone: string): TaskFormValues {
  const deadline = deadlineParts(task?.deadline, timeZone);
  return {
    title: task?.title ?? '',
    customerId: task?.customerId ?? '',
    deadlineDate: deadline.date,
    deadlineTime: deadline.time,
    responsible: task?.responsible ?? '',
    description: task?.description ?? '',
    templateId: '',
  };
}

/** The detail fields as the API takes them; an empty input is left out. */
function detailsOf(values: TaskFormValues, timeZone: string) {
  return {
    title: values.title,
    // No customer chosen: left out, so the rule is `required` (as the API names it).
    customerId: values.customerId || (undefined as unknown as string),
    deadline: deadlineOf({ date: values.deadlineDate, time: values.deadlineTime }, timeZone),
    responsible: values.responsible || undefined,
    description: values.description || undefined,
  };
}

/**
 * The body of `POST /tasks`: with a template, its `templateId` (the API copies its notices);
 * without, no notices (they come later, on the Varsler tab).
 */
export function createBodyOf(values: TaskFormValues, timeZone: string, notices: TaskCreate['notices'] = []): TaskCreate {
  const details = JSON.parse(JSON.stringify(detailsOf(values, timeZone))) as Omit<TaskCreate, 'notices'>;
  // The API's `notices` defaults to none: left out with a template (both given is 422 `one-of`).
  return values.templateId ? ({ ...details, templateId: values.templateId } as TaskCreate) : { ...details, notices };
}

/**
 * A merge patch with what the user changed, and the version read: a field emptied is removed
 * (`null`); the notices are never named, so a save here leaves them as they are.
 */
export function patchOf(initial: TaskFormValues, values: TaskFormValues, timeZone: string, version: number): TaskPatch {
  const before = detailsOf(initial, timeZone);
  const after = detailsOf(values, timeZone);
  const patch: TaskPatch = { version };
  const deadlineChanged = initial.deadlineDate !== values.deadlineDate || initial.deadlineTime !== values.deadlineTime;
  if (after.title !== before.title) patch.title = after.title;
  if (after.customerId !== before.customerId) patch.customerId = after.customerId;
  if (deadlineChanged) patch.deadline = after.deadline ?? null;
  if (after.responsible !== before.responsible) patch.responsible = after.responsible ?? null;
  if (after.description !== before.description) patch.description = after.description ?? null;
  return patch;
}
