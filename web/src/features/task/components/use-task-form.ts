import { useSchemaForm } from '@/lib/forms';
import { TaskCreate } from '../../../../../shared/api/task.schemas.ts';
import type { Task } from '../api/task-queries';
import { createBodyOf, formValuesOf, TASK_FIELD_NAMES, TASK_FORM_FIELDS, TASK_LIVE_FIELDS, type TaskFormValues } from '../utils/task-form-values';

/**
 * The form of a task's details (a new one without `task`), checked with the API's own schema.
 * An existing task's notices take part in the check: removing the deadline of a task with
 * notices is refused here, with the same words, as by the server.
 */
export function useTaskForm(task: Task | undefined, timeZone: string) {
  return useSchemaForm<TaskFormValues>({
    initialValues: formValuesOf(task, timeZone),
    schema: TaskCreate,
    toBody: (values) => createBodyOf(values, timeZone, task?.notices),
    fields: TASK_FORM_FIELDS,
    fieldNames: TASK_FIELD_NAMES,
    liveFields: TASK_LIVE_FIELDS,
  });
}
