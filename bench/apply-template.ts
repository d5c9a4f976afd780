import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../local/local-stack.ts';
import { ApplyRequest } from '../shared/api/template.schemas.ts';
import { NoticeInput } from '../shared/api/task.schemas.ts';
import { startApplyJob } from '../shared/use-cases/apply-template-job.ts';
import { benchFirm } from './bench-firm.ts';
import { createTask } from '../shared/use-cases/tasks.ts';
import { createTemplate } from '../shared/use-cases/templates.ts';
import { HttpCallCounter } from './http-calls.ts';

export interface ApplyFigures {
  tasks: number;
  seconds: number;
  tasksPerSecond: number;
  schedulerCallsPerTask: number;
  steps: number;
}

/**
 * A template of two notices (an e-mail 7 days before, a reminder the day after repeated
 * 3 times: 5 occurrences) applied by their ids to `count` open tasks without notices, on a
 * fresh local stack: from the request until the job is `done`, through the jobs queue and
 * function as they run locally (one job's steps one after another, 25 tasks a step).
 */
export async function applyTemplateBench(count: number): Promise<ApplyFigures> {
  const tenant = 'bench-apply';
  let now = new Date('2030-01-01T08:00:00Z');
  const dataDir = await mkdtemp(join(os.tmpdir(), 'frist-bench-apply-'));
  const stack = await startLocalStack({ clock: { now: () => new Date(now) }, dataDir, env: { LOG_LEVEL: 'SILENT' } });
  const counter = new HttpCallCounter();
  try {
    const { ports } = stack;
    const customers = await benchFirm(ports, tenant, 50);
    const taskIds: string[] = [];
    for (let i = 0; i < count; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, count - i) }, (_, j) => {
          const n = i + j;
          const deadline = new Date(Date.parse('2030-03-01T00:00:00Z') + (n % 300) * 86_400_000).toISOString().slice(0, 10);
          return createTask(ports, tenant, { title: `MVA-melding ${n}`, customerId: customers[n % customers.length]!.id, deadline, notices: [] });
        }),
      );
      taskIds.push(...batch.map((task) => task.id));
    }
    const template = await createTemplate(ports, tenant, {
      name: 'MVA-melding',
      notices: [
        NoticeInput.parse({
          when: 'before',
          offset: 'P7D',
          channels: ['email'],
          subject: 'Frist {{task.deadline}}',
          message: 'Hei {{customer.name}}, husk {{task.title}}.',
        }),
        NoticeInput.parse({
          when: 'after',
          offset: 'P1D',
          channels: ['email'],
          subject: 'Purring',
          message: 'Fristen er passert.',
          repeat: { every: 7, times: 3 },
        }),
      ],
    });
    now = new Date(now.getTime() + 1000);
    counter.start();
    const start = performance.now();
    const job = await startApplyJob(ports, tenant, template.id, ApplyRequest.parse({ taskIds }));
    await stack.jobsSource.runDue();
    const seconds = (performance.now() - start) / 1000;
    counter.stop();
    const done = await ports.store.getJob(tenant, job.id);
    if (done?.kind !== 'apply-template' || done.state !== 'done' || done.done !== count)
      throw new Error(`the job did not apply to every task: ${JSON.stringify(done)}`);
    const scheduler = counter.byName({ scheduler: stack.config.SCHEDULER_ENDPOINT! }).scheduler!;
    return { tasks: count, seconds, tasksPerSecond: count / seconds, schedulerCallsPerTask: scheduler / count, steps: done.step };
  } finally {
    counter.stop();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
