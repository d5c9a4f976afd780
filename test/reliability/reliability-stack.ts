import { DependencyUnavailableError } from '../../shared/errors.ts';
import type { Ports, SendingPorts } from '../../shared/ports.ts';
import { DISPATCH_QUEUE } from '../../shared/dispatch-queue.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * The local stack with what the reliability cases need: an injectable clock, fault proxies in
 * front of every AWS stand-in, a switch that kills the dispatch function at a chosen step,
 * and a log of every provider call as it starts.
 */

/** Where a dispatch attempt can die: the function stops there, writing nothing more. */
export type CrashPoint = 'before-claim' | 'after-claim' | 'after-provider' | 'after-filing';

export class Crash extends Error {
  override readonly name = 'Crash';
}

/** Kills the dispatch function once at the armed point; dead, every port call throws. */
export class CrashSwitch {
  private armed?: CrashPoint;
  private dead = false;
  readonly happened: CrashPoint[] = [];

  arm(point: CrashPoint): void {
    this.armed = point;
  }

  /** The next invocation is a fresh function instance. */
  revive(): void {
    this.dead = false;
  }

  /** Up to this many ms of random delay before each step: widens the windows races need. */
  jitterMs = 0;

  /** Runs `call` as the step `before`/`after` names, dying there if armed. */
  async step<T>(before: CrashPoint | undefined, after: CrashPoint | undefined, call: () => Promise<T>): Promise<T> {
    if (this.jitterMs) await new Promise((resolve) => setTimeout(resolve, Math.random() * this.jitterMs));
    if (this.dead) throw new Crash('the function is dead');
    if (before && this.armed === before) this.die(before);
    const result = await call();
    if (this.dead) throw new Crash('the function is dead');
    if (after && this.armed === after) this.die(after);
    return result;
  }

  private die(point: CrashPoint): never {
    this.armed = undefined;
    this.dead = true;
    this.happened.push(point);
    throw new Crash(`crashed ${point}`);
  }
}

export interface ProviderCall {
  channel: 'email' | 'sms';
  /** performance.now() when the call started: comparable with the test's own marks. */
  startedAt: number;
  /** The task title the text carries (each case gives its tasks unique titles). */
  text: string;
}

export interface ReliabilityStack extends TestStack {
  clock: TestClock;
  api: ApiClient;
  customerId: string;
  crash: CrashSwitch;
  providerCalls: ProviderCall[];
  /** Ports of the api wrapped so a test can fail one store call. */
  storeFaults: { failNextPutTask: number };
  /** A task whose single notice (PT0S before its deadline) falls due `inMs` from now. */
  dueTask(title: string, channels: ('email' | 'sms')[], inMs?: number): Promise<{ id: string; version: number; notices: { id: string }[] }>;
  /** Lets the dispatch queue's visibility timeout pass and delivers what came back. */
  afterVisibilityTimeout(): Promise<void>;
}

export const TENANT = 'firm-reliability';

export async function startReliabilityStack(start = '2027-05-01T10:00:00Z'): Promise<ReliabilityStack> {
  const clock = new TestClock(new Date(start));
  const crash = new CrashSwitch();
  const providerCalls: ProviderCall[] = [];
  const storeFaults = { failNextPutTask: 0 };
  const stack = await startTestStack({
    clock,
    injectFaults: true,
    // The stand-ins answer at once or fail at once here (no case hangs), so the timeouts only
    // bite on a loaded machine: 300 ms made a slow SES stand-in read as an unknown outcome,
    // sent again (flagged), and "sent once" fail. SMS's production default, for both.
    // The caps below are over the default ceiling, and in force at once (no delay for a raise).
    env: { SES_TIMEOUT_MS: '5000', SMS_TIMEOUT_MS: '5000', SMS_CEILING_PER_DAY: '100000', SMS_CEILING_PER_NUMBER_PER_HOUR: '100', SMS_RAISE_DELAY_HOURS: '0' },
    wrapSendingPorts: (ports) => crashable(ports, crash, providerCalls),
    wrapPorts: (ports) => withStoreFaults(ports, storeFaults),
  });
  const api = await stack.as(TENANT);
  await api.put('/settings', {
    firm: { name: 'Tall og Tid' },
    emailSender: { from: 'varsel@tallogtid.example' },
    smsAccount: { username: 'tallogtid', password: 'hemmelig' },
    // The cases run hours of outage through the night: the SMS a quiet night holds back would
    // read as lost. Quiet hours have their own tests (test/integration/send-rules.test.ts).
    quietHours: { enabled: false, start: '21:00', end: '08:00' },
    // Every case sends to the one customer, many times an hour: the delivery promise is measured
    // here, not the SMS caps (test/integration/sms-flood.test.ts measures those).
    smsLimits: { perNumberPerHour: 100, perDay: 100_000 },
    version: 0,
  });
  const customerId = (await createCustomer(api, { name: 'Åse Ødegård', email: 'ase@odegard.example', mobile: '+4741234567' })).id;
  return {
    ...stack,
    clock,
    api,
    customerId,
    crash,
    providerCalls,
    storeFaults,
    dueTask: (title, channels, inMs = 60_000) => {
      const deadline = new Date(clock.now().getTime() + inMs).toISOString().replace(/\.\d+Z$/, 'Z');
      return createTask(api, customerId, {
        title,
        deadline,
        notices: [{ when: 'before', offset: 'PT0S', channels, subject: 'Frist: {{task.title}}', message: 'Husk {{task.title}}.' }],
      });
    },
    afterVisibilityTimeout: async () => {
      clock.advance(DISPATCH_QUEUE.visibilityTimeoutSeconds * 1000);
      crash.revive();
      await stack.runDue();
    },
  };
}

/** Dispatch's ports with the crash switch at each step and the provider calls logged. */
function crashable(ports: SendingPorts, crash: CrashSwitch, calls: ProviderCall[]): SendingPorts {
  const store = new Proxy(ports.store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      const before = name === 'claimDelivery' ? 'before-claim' : undefined;
      const after = name === 'claimDelivery' ? 'after-claim' : undefined;
      return (...args: unknown[]) => crash.step(before, after, () => value.apply(target, args));
    },
  });
  return {
    ...ports,
    store,
    archive: {
      put: (...args) => crash.step(undefined, 'after-filing', () => ports.archive.put(...args)),
      get: (key) => ports.archive.get(key),
    },
    mailer: {
      sendRaw: (email) =>
        crash.step(undefined, 'after-provider', () => {
          calls.push({ channel: 'email', startedAt: performance.now(), text: email.raw.toString() });
          return ports.mailer.sendRaw(email);
        }),
    },
    sms: {
      send: (message) =>
        crash.step(undefined, 'after-provider', () => {
          calls.push({ channel: 'sms', startedAt: performance.now(), text: message.text });
          return ports.sms.send(message);
        }),
    },
  };
}

/** The api's ports, with a switch that fails the next conditional write of a task. */
function withStoreFaults(ports: Ports, faults: { failNextPutTask: number }): Ports {
  const store = new Proxy(ports.store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (name !== 'putTask' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        if (faults.failNextPutTask > 0) {
          faults.failNextPutTask -= 1;
          throw new DependencyUnavailableError('the database is busy; retry shortly');
        }
        return value.apply(target, args);
      };
    },
  });
  return { ...ports, store };
}
