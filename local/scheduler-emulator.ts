import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Clock } from '../shared/ports.ts';
import { close, listen, LOOPBACK, readJsonBody } from './listen.ts';

/**
 * A stand-in for EventBridge Scheduler: the REST-JSON subset Frist uses (CreateSchedule,
 * UpdateSchedule, DeleteSchedule, GetSchedule, ListSchedules), with errors as the SDK
 * parses them (`x-amzn-errortype` and `{"Message": ...}`), so the unchanged
 * @aws-sdk/client-scheduler runs against it. It fires one-time `at()` schedules that are
 * due by its clock into the target, applies the retry policy, sends what fails for good to
 * its dead-letter list, and deletes a schedule after it ran when asked to (DELETE).
 *
 * The clock is injectable: tests move time and call runDue(); `npm start` ticks each second.
 */

export type TargetInvoker = (targetArn: string, input: unknown) => Promise<void>;

export interface StoredSchedule {
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  FlexibleTimeWindow: { Mode: string; MaximumWindowInMinutes?: number };
  ActionAfterCompletion?: string;
  State?: string;
  Description?: string;
  Target: {
    Arn: string;
    RoleArn: string;
    Input?: string;
    RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
    DeadLetterConfig?: { Arn?: string };
  };
  CreationDate: number;
  LastModificationDate: number;
  // The emulator's own bookkeeping.
  dueAt: number;
  done: boolean;
}

/** A CreateSchedule or UpdateSchedule body as sent: checked by `validate` before it is kept. */
type ScheduleInput = Partial<Omit<StoredSchedule, 'Name' | 'Target' | 'CreationDate' | 'LastModificationDate' | 'dueAt' | 'done'>> & {
  Target?: Partial<StoredSchedule['Target']>;
};

/**
 * A fired schedule's invocation, retried on its own: once a schedule has fired, deleting it
 * no longer stops the retries of that invocation (as on AWS, where the event has been handed
 * to Lambda's asynchronous queue).
 */
interface Invocation {
  name: string;
  targetArn: string;
  input: unknown;
  retryPolicy: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  deadLetterArn?: string;
  dueAt: number;
  attempts: number;
  nextAttemptAt: number;
}

export interface DeadLetter {
  name: string;
  deadLetterArn?: string;
  input: unknown;
  error: string;
  attempts: number;
}

export interface FiredEvent {
  name: string;
  at: string;
  attempt: number;
  ok: boolean;
}

class SchedulerError extends Error {
  constructor(
    readonly type: 'ConflictException' | 'ResourceNotFoundException' | 'ValidationException' | 'ThrottlingException',
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const NAME = /^[0-9a-zA-Z-_.]{1,64}$/;
const AT = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;

export class SchedulerEmulator {
  readonly schedules = new Map<string, StoredSchedule>();
  readonly deadLetters: DeadLetter[] = [];
  readonly fired: FiredEvent[] = [];
  /** Invocations of fired schedules that failed and wait for their next attempt. */
  readonly retrying: Invocation[] = [];
  private readonly groups: Set<string>;
  private server?: Server;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** Requests per second each operation takes before it throttles (undefined: no limit). */
  private rateLimit?: number;
  private readonly windows = new Map<string, { second: number; count: number }>();
  /** Requests refused with ThrottlingException. */
  throttled = 0;

  constructor(
    private readonly options: {
      clock: Clock;
      invoke: TargetInvoker;
      groups: string[];
      accountId?: string;
      region?: string;
      /** How many due schedules fire at once, as parallel Lambda invocations would (default 8). */
      concurrency?: number;
    },
  ) {
    this.groups = new Set(['default', ...options.groups]);
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        this.reply(response, 500, { Message: (error as Error).message }, 'InternalServerException');
      });
    });
    const bound = await listen(this.server, port);
    return `http://${LOOPBACK}:${bound}`;
  }

  /** Invokes a schedule's target now, as a fired schedule would (tests: a schedule that outlived its task). */
  invokeTarget(targetArn: string, input: unknown): Promise<void> {
    return this.options.invoke(targetArn, input);
  }

  /**
   * Throttles each operation (CreateSchedule, ListSchedules, ...) above `perSecond` requests
   * in a second of real time, as the Scheduler's per-operation request-rate quotas do
   * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html): the rest of
   * that second is answered 429 ThrottlingException. Undefined lifts the limit.
   */
  throttleAbove(perSecond: number | undefined): void {
    this.rateLimit = perSecond;
    this.windows.clear();
  }

  /** Fires due schedules every `ms` of real time (for `npm start`). */
  tickEvery(ms: number): void {
    this.timer = setInterval(() => void this.runDue(), ms);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    if (this.server) await close(this.server);
  }

  /** Fires every schedule (or retry) due by the clock, a few at a time; concurrent calls share one run. */
  runDue(): Promise<void> {
    this.running ??= this.fireDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async fireDue(): Promise<void> {
    const now = this.options.clock.now().getTime();
    const fired = [...this.schedules.values()].filter((s) => !s.done && s.State !== 'DISABLED' && s.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    // A schedule that fires hands its invocation over and is done (deleted, if so asked).
    const handedOver: Invocation[] = fired.map((s) => {
      this.complete(s);
      return {
        name: s.Name,
        targetArn: s.Target.Arn,
        input: JSON.parse(s.Target.Input ?? '{}') as unknown,
        retryPolicy: s.Target.RetryPolicy ?? {},
        deadLetterArn: s.Target.DeadLetterConfig?.Arn,
        dueAt: s.dueAt,
        attempts: 0,
        nextAttemptAt: s.dueAt,
      };
    });
    const retries = this.retrying.filter((i) => i.nextAttemptAt <= now);
    this.retrying.splice(0, this.retrying.length, ...this.retrying.filter((i) => i.nextAttemptAt > now));
    const queue = [...handedOver, ...retries];
    const worker = async () => {
      for (let invocation = queue.shift(); invocation; invocation = queue.shift()) await this.invoke(invocation, now);
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 8 }, worker));
  }

  private async invoke(invocation: Invocation, now: number): Promise<void> {
    invocation.attempts += 1;
    const record = (ok: boolean) => this.fired.push({ name: invocation.name, at: new Date(now).toISOString(), attempt: invocation.attempts, ok });
    try {
      await this.options.invoke(invocation.targetArn, invocation.input);
      record(true);
    } catch (error) {
      record(false);
      const policy = invocation.retryPolicy;
      const retriesLeft = invocation.attempts <= (policy.MaximumRetryAttempts ?? 185);
      const young = now - invocation.dueAt < (policy.MaximumEventAgeInSeconds ?? 86_400) * 1000;
      if (retriesLeft && young) {
        // Exponential back-off as the Scheduler does, capped at five minutes.
        invocation.nextAttemptAt = now + Math.min(2 ** (invocation.attempts - 1) * 1000, 300_000);
        this.retrying.push(invocation);
        return;
      }
      this.deadLetters.push({
        name: invocation.name,
        deadLetterArn: invocation.deadLetterArn,
        input: invocation.input,
        error: (error as Error).message,
        attempts: invocation.attempts,
      });
    }
  }

  private complete(schedule: StoredSchedule): void {
    if (schedule.ActionAfterCompletion === 'DELETE') this.schedules.delete(this.key(schedule.GroupName, schedule.Name));
    else schedule.done = true;
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const body = (await readJsonBody(request)) as ScheduleInput;
    const match = /^\/schedules(?:\/([^/]+))?$/.exec(url.pathname);
    try {
      if (!match) throw new SchedulerError('ResourceNotFoundException', 404, `no such path ${url.pathname}`);
      const name = match[1] ? decodeURIComponent(match[1]) : undefined;
      const method = request.method ?? 'GET';
      this.admit(`${method} ${name ? 'one' : 'list'}`);
      if (!name && method === 'GET') return this.reply(response, 200, this.list(url.searchParams));
      if (!name) throw new SchedulerError('ValidationException', 400, 'a schedule name is required');
      if (method === 'POST') return this.reply(response, 200, this.create(name, body));
      if (method === 'PUT') return this.reply(response, 200, this.update(name, body));
      const group = url.searchParams.get('groupName') ?? 'default';
      if (method === 'GET') return this.reply(response, 200, this.describe(this.find(group, name)));
      if (method === 'DELETE') {
        this.schedules.delete(this.key(group, this.find(group, name).Name));
        return this.reply(response, 200, {});
      }
      throw new SchedulerError('ValidationException', 400, `unsupported method ${method}`);
    } catch (error) {
      if (!(error instanceof SchedulerError)) throw error;
      this.reply(response, error.status, { Message: error.message }, error.type);
    }
  }

  /** Counts the request against its operation's quota for this second of real time. */
  private admit(operation: string): void {
    if (this.rateLimit === undefined) return;
    const second = Math.floor(performance.now() / 1000);
    const window = this.windows.get(operation);
    const count = window?.second === second ? window.count + 1 : 1;
    this.windows.set(operation, { second, count });
    if (count <= this.rateLimit) return;
    this.throttled += 1;
    throw new SchedulerError('ThrottlingException', 429, 'Rate exceeded');
  }

  private create(name: string, body: ScheduleInput): { ScheduleArn: string } {
    const schedule = this.validate(name, body);
    const key = this.key(schedule.GroupName, name);
    if (this.schedules.has(key)) throw new SchedulerError('ConflictException', 409, `Schedule ${name} already exists.`);
    this.schedules.set(key, schedule);
    return { ScheduleArn: this.arn(schedule) };
  }

  private update(name: string, body: ScheduleInput): { ScheduleArn: string } {
    const schedule = this.validate(name, body);
    const existing = this.find(schedule.GroupName, name);
    schedule.CreationDate = existing.CreationDate;
    this.schedules.set(this.key(schedule.GroupName, name), schedule);
    return { ScheduleArn: this.arn(schedule) };
  }

  private validate(name: string, body: ScheduleInput): StoredSchedule {
    const invalid = (message: string) => new SchedulerError('ValidationException', 400, message);
    if (!NAME.test(name)) throw invalid(`Invalid name ${name}: at most 64 of [0-9a-zA-Z-_.]`);
    const group = body.GroupName ?? 'default';
    if (!this.groups.has(group)) throw new SchedulerError('ResourceNotFoundException', 404, `Schedule group ${group} does not exist.`);
    const expression = body.ScheduleExpression ?? '';
    const at = AT.exec(expression);
    if (!at) throw invalid(`Invalid Schedule Expression ${expression}: this emulator supports at() only`);
    if ((body.ScheduleExpressionTimezone ?? 'UTC') !== 'UTC') throw invalid('this emulator supports UTC only');
    const { FlexibleTimeWindow: window, Target: target } = body;
    if (!window?.Mode) throw invalid('FlexibleTimeWindow is required');
    if (!target?.Arn || !target.RoleArn) throw invalid('Target.Arn and Target.RoleArn are required');
    const dueAt = Date.parse(`${at[1]}Z`);
    const now = Math.floor(this.options.clock.now().getTime() / 1000);
    return {
      Name: name,
      GroupName: group,
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: body.ScheduleExpressionTimezone,
      FlexibleTimeWindow: window,
      ActionAfterCompletion: body.ActionAfterCompletion,
      State: body.State ?? 'ENABLED',
      Description: body.Description,
      Target: { ...target, Arn: target.Arn, RoleArn: target.RoleArn },
      CreationDate: now,
      LastModificationDate: now,
      dueAt,
      done: false,
    };
  }

  private list(query: URLSearchParams): { Schedules: unknown[]; NextToken?: string } {
    const group = query.get('ScheduleGroup');
    const prefix = query.get('NamePrefix') ?? '';
    const max = Number(query.get('MaxResults') ?? 100);
    const start = Number(query.get('NextToken') ?? 0);
    const all = [...this.schedules.values()]
      .filter((s) => (!group || s.GroupName === group) && s.Name.startsWith(prefix))
      .sort((a, b) => a.Name.localeCompare(b.Name));
    const page = all.slice(start, start + max);
    return {
      Schedules: page.map((s) => ({
        Arn: this.arn(s),
        Name: s.Name,
        GroupName: s.GroupName,
        State: s.State,
        CreationDate: s.CreationDate,
        LastModificationDate: s.LastModificationDate,
        Target: { Arn: s.Target.Arn },
      })),
      ...(start + max < all.length ? { NextToken: String(start + max) } : {}),
    };
  }

  private describe(s: StoredSchedule): Record<string, unknown> {
    const { dueAt: _dueAt, done: _done, ...visible } = s;
    return { ...visible, Arn: this.arn(s) };
  }

  private find(group: string, name: string): StoredSchedule {
    const schedule = this.schedules.get(this.key(group, name));
    if (!schedule) throw new SchedulerError('ResourceNotFoundException', 404, `Schedule ${name} does not exist.`);
    return schedule;
  }

  private key(group: string, name: string): string {
    return `${group}/${name}`;
  }

  private arn(s: StoredSchedule): string {
    return `arn:aws:scheduler:${this.options.region ?? 'eu-north-1'}:${this.options.accountId ?? '000000000000'}:schedule/${s.GroupName}/${s.Name}`;
  }

  private reply(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
    response.writeHead(status, {
      'content-type': 'application/json',
      'x-amzn-requestid': crypto.randomUUID(),
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    });
    response.end(JSON.stringify(body));
  }
}
