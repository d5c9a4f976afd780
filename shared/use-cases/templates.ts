import type * as z from 'zod';
import type { TemplateInput, TemplateUpdate, TemplateView } from '../api/template.schemas.ts';
import type { Page } from '../domain/model.ts';
import type { Template } from '../domain/template.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Ports } from '../ports.ts';
import { createOnce, idForKey, type Idempotency } from './idempotent-create.ts';
import { assignNoticeIds } from './tasks.ts';
import { fitToResponse } from './page-size.ts';

/**
 * Notice templates: a name and notices, checked at save by the rules of a task's notices that
 * need no task (the schema: merge codes, offsets, channels, subject for e-mail, repeats
 * after only). What depends on a task (its deadline, its customer's addresses, the texts
 * filled in for that customer) is checked when the template reaches a task.
 */
export async function createTemplate(ports: Ports, tenantId: string, input: TemplateInput, idempotency?: Idempotency): Promise<TemplateView> {
  const now = ports.clock.now().toISOString();
  const id = idempotency ? idForKey(tenantId, 'template', idempotency.key) : ports.ids.newId();
  let notice = 0;
  const ids = idempotency ? { newId: () => idForKey(tenantId, `template-notice-${(notice += 1)}`, idempotency.key) } : ports.ids;
  const template: Template = {
    id,
    name: input.name,
    notices: assignNoticeIds({ ...ports, ids }, input.notices),
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...(idempotency ? { idempotency } : {}),
  };
  const created = await createOnce(
    idempotency,
    async () => {
      await ports.store.putTemplate(tenantId, template);
      return template;
    },
    () => ports.store.getTemplate(tenantId, id),
  );
  return templateView(created);
}

export function templateView(template: Template): TemplateView {
  const { idempotency: _idempotency, ...view } = template;
  return view;
}

export async function getTemplate({ store }: Pick<Ports, 'store'>, tenantId: string, id: string): Promise<Template> {
  const template = await store.getTemplate(tenantId, id);
  if (!template) throw new NotFoundError(`no template ${id}`);
  return template;
}

export async function listTemplates(ports: Ports, tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<TemplateView>> {
  const found = await ports.store.listTemplates(tenantId, page);
  return fitToResponse(found, found.items.map(templateView), (template) => ports.store.templateCursorAfter(tenantId, template));
}

/** A stored template as a PUT would send it back, the base a merge patch applies to. */
export function templateInput(template: Template): z.input<typeof TemplateUpdate> {
  const { name, notices, version } = template;
  return { name, notices, version };
}

/** Replaces a template if `version` is still the stored one. No task changes: apply it again for that. */
export async function updateTemplate(ports: Ports, tenantId: string, id: string, input: TemplateInput & { version: number }): Promise<TemplateView> {
  const current = await getTemplate(ports, tenantId, id);
  if (current.version !== input.version)
    throw new ConflictError(`the template changed since version ${input.version} was read; read it again and reapply your change`);
  const next: Template = {
    ...current,
    name: input.name,
    notices: assignNoticeIds(ports, input.notices),
    version: input.version + 1,
    updatedAt: ports.clock.now().toISOString(),
  };
  await ports.store.putTemplate(tenantId, next, input.version);
  return templateView(next);
}

/**
 * Deletes a template. Tasks made from it keep their notices and their link (which names a
 * template that is gone: `apply` can no longer reach them through it). A job applying it
 * goes on with the version it started with.
 */
export async function deleteTemplate(ports: Ports, tenantId: string, id: string): Promise<void> {
  const current = await getTemplate(ports, tenantId, id);
  await ports.store.deleteTemplate(tenantId, id, current.version);
}
