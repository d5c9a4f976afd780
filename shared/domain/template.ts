import * as z from 'zod';
import { Notice, Task, Versioned } from './model.ts';
import { schema } from './schema.ts';

/**
 * A firm's notice template: a name and notices in the shape and with the rules of a task's
 * (shared/api/template.schemas.ts). A task created from it copies its notices and keeps a
 * link (TemplateLink); changing the template changes no task until it is applied again.
 */
export const Template = /* @__PURE__ */ schema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    notices: z.array(Notice),
    idempotency: z.object({ key: z.string(), requestHash: z.string() }).optional(),
    ...Versioned.shape,
  }),
);
export type Template = z.infer<typeof Template>;

/**
 * A task's link to the template its notices came from, and the version they are a copy of.
 * The link goes when the task's notices are changed by hand (a save whose notices differ from
 * the copy): such a task no longer follows the template, and `apply` with `onlyLinked` leaves
 * it alone. `job` names the apply job that last wrote the copy: a step of that job taken
 * again after a crash finds its own mark and does not write the task a second time.
 */
export const TemplateLink = Task.shape.template.unwrap();
export type TemplateLink = z.infer<typeof TemplateLink>;
