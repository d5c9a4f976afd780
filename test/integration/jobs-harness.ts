import type { JobMessage } from '../../shared/api/job-message.schema.ts';
import { isActive, type Job } from '../../shared/domain/job.ts';
import type { Task } from '../../shared/domain/model.ts';
import type { Log, Ports } from '../../shared/ports.ts';
import type { StepReport } from '../../shared/use-cases/zone-change-job.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import type { ApiClient, TestStack } from './harness.ts';

/**
 * What a test sees of the jobs function through its ports (LocalStackOptions.wrapJobPorts):
 * the step reports it logs, and a crash on demand.
 */
export class JobsObserver {
  readonly steps: StepReport[] = [];
  /** The steps that died on demand (crashNextStep, crashAtStep), by job. */
  readonly crashed: { jobId: string; step: number }[] = [];
  private crashes = 0;
  private crashAt?: number;
  private readonly taskWriteHooks = new Map<string, () => Promise<void>>();
  private held?: { armed: boolean; release: () => void; released: Promise<void> };

  /** The next step dies after re-planning its tasks, before it records them, as a function that timed out. */
  crashNextStep(): void {
    this.crashes += 1;
  }

  /** The step that would record step `step` done dies instead, as a function killed half-way through a job. */
  crashAtStep(step: number): void {
    this.crashAt = step;
  }

  /** Runs `action` once, just before the jobs function's first write of task `taskId`: a save that races the job's. */
  beforeTaskWrite(taskId: string, action: () => Promise<void>): void {
    this.taskWriteHooks.set(taskId, action);
  }

  /** The next step to record its progress waits until some step has finished the job: the slowest copy there can be. */
  holdNextStepUntilDone(): void {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    this.held = { armed: true, release, released };
  }

  stepsOf(jobId: string): StepReport[] {
    return this.steps.filter((s) => s.jobId === jobId);
  }

  readonly wrap = (ports: Ports): Ports => {
    const store = Object.assign(Object.create(ports.store) as Ports['store'], {
      saveJob: async (tenantId: string, job: Job, readStep: number) => {
        if ((this.crashes > 0 || this.crashAt === readStep) && job.step > readStep) {
          if (this.crashAt === readStep) this.crashAt = undefined;
          else this.crashes -= 1;
          this.crashed.push({ jobId: job.id, step: readStep });
          throw new Error('the function died before recording its step');
        }
        if (this.held?.armed && job.step > readStep) {
          this.held.armed = false;
          await this.held.released;
        }
        return ports.store.saveJob(tenantId, job, readStep);
      },
      putTask: async (tenantId: string, task: Task, expectedVersion?: number) => {
        const hook = this.taskWriteHooks.get(task.id);
        this.taskWriteHooks.delete(task.id);
        await hook?.();
        return ports.store.putTask(tenantId, task, expectedVersion);
      },
    });
    const log: Log = {
      info: (message, ...extra) => {
        if (message === 'job step') {
          const step = extra[0] as unknown as StepReport;
          this.steps.push(step);
          if (step.outcome === 'done') this.held?.release();
        }
        ports.log.info(message, ...extra);
      },
      debug: (message, ...extra) => ports.log.debug(message, ...extra),
      warn: (message, ...extra) => ports.log.warn(message, ...extra),
      error: (message, ...extra) => ports.log.error(message, ...extra),
    };
    return { ...ports, store, log };
  };
}

/**
 * Runs the jobs function until the job is `reached` or has ended: what a test waits for, not
 * for one drain of the queue. The next step's message is sent after the step has recorded
 * itself, and the code promises only that it is sent or left to the reconciler: on a machine
 * too loaded to answer SendMessage within the client's timeouts it can land after the drain
 * ended (then it is run now) or not at all (then the job waits for restartStalledJobs, and here
 * its step is handed out again as that does, once the queue holds no message of the job). A
 * message of the job in flight (a step that failed, back after the visibility timeout) is not
 * waited for: the test clock would have to move.
 */
export async function runJob(stack: TestStack, tenantId: string, jobId: string, reached: (job: Job) => boolean = () => false): Promise<Job> {
  for (;;) {
    await stack.jobsSource.runDue();
    const job = (await stack.ports.store.getJob(tenantId, jobId))!;
    if (reached(job) || !isActive(job)) return job;
    const now = stack.ports.clock.now().getTime();
    const queued = stack.jobsQueue.list().filter((m) => (JSON.parse(m.body) as JobMessage).jobId === jobId);
    if (queued.some((m) => m.visibleAt > now)) throw new Error(`job ${jobId} waits at step ${job.step} for a message in flight`);
    if (!queued.length) await stack.jobPorts.jobs.send({ tenantId, jobId, step: job.step });
  }
}

/** A firm with settings in Europe/Oslo and `count` open tasks, each with one notice, made through the API. */
export async function firmWithTasks(stack: TestStack, tenantId: string, count: number): Promise<{ api: ApiClient; taskIds: string[] }> {
  const api = await stack.as(tenantId);
  await api.put('/settings', { version: 0 });
  const customer = await createCustomer(api);
  const taskIds: string[] = [];
  for (let i = 0; i < count; i += 25) {
    const batch = Array.from({ length: Math.min(25, count - i) }, () =>
      createTask(api, customer.id, { deadline: '2027-02-10', notices: [emailNotice({ sendAt: '09:00' })] }),
    );
    taskIds.push(...(await Promise.all(batch)).map((t) => t.id));
  }
  return { api, taskIds };
}

/** PUT /settings with a new time zone, on the version just read. */
export async function changeZone(api: ApiClient, timeZone: string) {
  const current = (await api.get('/settings')).body;
  return api.put('/settings', { timeZone, version: current.version });
}

/** How many of the tasks are planned in each zone, read as the api reads them. */
export async function zonesOf(stack: TestStack, tenantId: string, taskIds: string[]): Promise<Record<string, number>> {
  const tasks = await Promise.all(taskIds.map((id) => stack.ports.store.getTask(tenantId, id)));
  const zones: Record<string, number> = {};
  for (const task of tasks) zones[task!.plan.timeZone] = (zones[task!.plan.timeZone] ?? 0) + 1;
  return zones;
}
