import { parseOrThrow } from '../api/zod-issues.ts';
import { TaskCreate, type TaskInput } from '../api/task.schemas.ts';
import type { Notice } from '../domain/model.ts';
import type { TemplateLink } from '../domain/template.ts';
import { sameContent } from '../domain/same-content.ts';
import { ValidationError } from '../errors.ts';
import type { Ports } from '../ports.ts';

/**
 * A task's fields with a template's notices in place of its own, checked by the rules of a
 * task create (a deadline for notices, an after-notice of at least a day on a date-only
 * deadline): a 422 names `notices.N...` as if the firm had typed them. The notices keep
 * the template's notice ids, so applying the same notices again moves no schedule.
 */
export function withNotices(fields: object, notices: Notice[]): TaskInput {
  return parseOrThrow(TaskCreate, { ...withoutUndefined(fields), notices });
}

/** A create's fields from template `templateId` as it is now, and the link the task keeps. */
export async function templateCopy(
  ports: Pick<Ports, 'store'>,
  tenantId: string,
  templateId: string,
  fields: Omit<TaskInput, 'templateId'>,
): Promise<{ fields: TaskInput; link: TemplateLink }> {
  const template = await ports.store.getTemplate(tenantId, templateId);
  if (!template) throw ValidationError.of('templateId', 'exists', `no template ${templateId} in this firm`);
  return { fields: withNotices(fields, template.notices), link: { id: template.id, version: template.version } };
}

/** Whether two lists of notices say the same, member by member (an absent member and `undefined` are the same). */
export function sameNotices(a: Notice[], b: Notice[]): boolean {
  return sameContent(a, b);
}

function withoutUndefined(value: object): object {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
