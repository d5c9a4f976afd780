import type { Ports, SendingPorts } from '../../shared/ports.ts';
import { DISPATCH_QUEUE } from '../../shared/dispatch-queue.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * The local stack for attack tests: the injected clock, the fault proxies, and one-shot hooks
 * that run just before a chosen store call of the api (or the reconciler) or of dispatch,
 * or just before a provider call. A hook may wait (a gate), so a test can put another request
 * exactly between two steps of a use case.
 */
export type Hook = () => unknown;

export interface ProviderCall {
  channel: 'email' | 'sms';
  startedAt: number;
  text: string;
}

export interface AttackStack extends TestStack {
  clock: TestClock;
  api: ApiClient;
  customerId: string;
  /** One-shot hooks by store method name, run before the api's call of that method. */
  apiHooks: Map<string, Hook[]>;
  /** One-shot hooks by Scheduler port method name (create, delete, list), run before the api's call. */
  apiSchedulerHooks: Map<string, Hook[]>;
  /** One-shot hooks by store method name, run before dispatch's call of that method. */
  dispatchHooks: Map<string, Hook[]>;
  /** One-shot hooks run before dispatch's next provider call (e-mail or SMS). */
  beforeProvider: Hook[];
  providerCalls: ProviderCall[];
  dueTask(title: string, channels: ('email' | 'sms')[], inMs?: number, extra?: Record<string, unknown>): Promise<any>;
  afterVisibilityTimeout(): Promise<void>;
}

export const TENANT = 'firm-attack';

export function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

export function hooked<T extends object>(target: T, hooks: Map<string, Hook[]>): T {
  return new Proxy(target, {
    get(object, name, receiver) {
      const value = Reflect.get(object, name, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const queue = hooks.get(String(name));
        const hook = queue?.shift();
        if (hook) await hook();
        return value.apply(object, args);
      };
    },
  });
}

export async function startAttackStack(
  options: { start?: string; env?: Record<string, string>; settings?: Record<string, unknown>; customer?: Record<string, unknown> } = {},
): Promise<AttackStack> {
  const clock = new TestClock(new Date(options.start ?? '2027-05-03T10:00:00Z'));
  const apiHooks = new Map<string, Hook[]>();
  const apiSchedulerHooks = new Map<string, Hook[]>();
  const dispatchHooks = new Map<string, Hook[]>();
  const beforeProvider: Hook[] = [];
  const providerCalls: ProviderCall[] = [];
  const provider = async (channel: 'email' | 'sms', text: string) => {
    const hook = beforeProvider.shift();
    if (hook) await hook();
    providerCalls.push({ channel, startedAt: performance.now(), text });
  };
  const stack = await startTestStack({
    clock,
    injectFaults: true,
    env: { SES_TIMEOUT_MS: '300', SMS_TIMEOUT_MS: '300', ...options.env },
    wrapPorts: (ports: Ports) => ({ ...ports, store: hooked(ports.store, apiHooks), scheduler: hooked(ports.scheduler, apiSchedulerHooks) }),
    wrapSendingPorts: (ports: SendingPorts) => ({
      ...ports,
      store: hooked(ports.store, dispatchHooks),
      mailer: {
        sendRaw: async (email) => {
          await provider('email', email.raw.toString());
          return ports.mailer.sendRaw(email);
        },
      },
      sms: {
        send: async (message) => {
          await provider('sms', message.text);
          return ports.sms.send(message);
        },
      },
    }),
  });
  const api = await stack.as(TENANT);
  const settings = await api.put('/settings', {
    firm: { name: 'Tall og Tid' },
    emailSender: { from: 'varsel@tallogtid.example' },
    smsAccount: { username: 'tallogtid', password: 'hemmelig' },
    version: 0,
    ...options.settings,
  });
  if (settings.status !== 200) throw new Error(`settings: ${JSON.stringify(settings.body)}`);
  const customerId = (await createCustomer(api, { name: 'Åse Ødegård', email: 'ase@odegard.example', mobile: '+4741234567', ...options.customer })).id;
  return {
    ...stack,
    clock,
    api,
    customerId,
    apiHooks,
    apiSchedulerHooks,
    dispatchHooks,
    beforeProvider,
    providerCalls,
    dueTask: (title, channels, inMs = 60_000, extra = {}) => {
      const deadline = new Date(clock.now().getTime() + inMs).toISOString().replace(/\.\d+Z$/, 'Z');
      return createTask(api, customerId, {
        title,
        deadline,
        notices: [{ when: 'before', offset: 'PT0S', channels, subject: 'Frist: {{task.title}}', message: 'Husk {{task.title}}.' }],
        ...extra,
      });
    },
    afterVisibilityTimeout: async () => {
      clock.advance(DISPATCH_QUEUE.visibilityTimeoutSeconds * 1000);
      await stack.runDue();
    },
  };
}

export function addHook(map: Map<string, Hook[]>, name: string, hook: Hook): void {
  map.set(name, [...(map.get(name) ?? []), hook]);
}

/**
 * Lets the notice due in a minute fire, and holds dispatch just before its provider call
 * (claimed, task read again) until `release.open()`; `firing` ends when dispatch has.
 */
export async function fireAndHoldAtProvider(stack: AttackStack): Promise<{ firing: Promise<void>; release: { open(): void } }> {
  const atProvider = gate();
  const release = gate();
  stack.beforeProvider.push(async () => {
    atProvider.open();
    await release.wait;
  });
  stack.clock.advance(60_000);
  const firing = stack.runDue();
  await atProvider.wait;
  return { firing, release };
}
