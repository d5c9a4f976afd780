import { describe, expect, it } from 'vitest';
import type { components } from '../../web/src/lib/api/schema.d.ts';
import { applyFilterOf, tasksToChange } from '../../web/src/features/templates/utils/apply-plan.ts';

type Task = components['schemas']['Task'];
const TEMPLATE = { id: 'tpl', version: 3 };
const task = (id: string, fields: Partial<Task> = {}) => ({ id, status: 'open', ...fields }) as Task;

describe("the apply step's count of the tasks that will change", () => {
  const tasks = [
    task('plain'),
    task('completed', { status: 'completed' }),
    task('older-version', { template: { id: 'tpl', version: 2 } }),
    task('up-to-date', { template: { id: 'tpl', version: 3 } }),
    task('other-template', { template: { id: 'other', version: 1 } }),
  ];

  it('counts every open task that does not have this version of the template already', () => {
    expect(tasksToChange(tasks, TEMPLATE, false).map((t) => t.id)).toEqual(['plain', 'older-version', 'other-template']);
  });

  it('with onlyLinked, counts only the open tasks that follow this template', () => {
    expect(tasksToChange(tasks, TEMPLATE, true).map((t) => t.id)).toEqual(['older-version']);
  });
});

describe("the register's filters as the apply request's filter", () => {
  it('turns hasNotices into a boolean and keeps the rest as they are', () => {
    expect(applyFilterOf({ status: 'open', customerId: 'c1', deadlineFrom: '2027-01-01', hasNotices: 'false' })).toEqual({
      status: 'open',
      customerId: 'c1',
      deadlineFrom: '2027-01-01',
      hasNotices: false,
    });
    expect(applyFilterOf({})).toEqual({});
  });
});
