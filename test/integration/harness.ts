import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQS_SEND_MESSAGE_TARGET } from '../../shared/adapters/scheduler.adapter.ts';
import { taskSchedulePrefix } from '../../shared/domain/schedule-names.ts';
import type { DispatchEvent } from '../../shared/ports.ts';
import type { StoredSchedule } from '../../local/scheduler-emulator.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/local-stack.ts';
import { awsCallFile } from '../iam/aws-call-log.ts';
import { responseChecker, type OpenApiDocument } from './contract.ts';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ApiClient {
  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  get<T = any>(path: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  put<T = any>(path: string, body: unknown): Promise<ApiResponse<T>>;
  /** Sends `patch` as an RFC 7396 merge patch (application/merge-patch+json). */
  patch<T = any>(path: string, patch: unknown): Promise<ApiResponse<T>>;
  delete<T = any>(path: string): Promise<ApiResponse<T>>;
}

/** A client of the local API over real HTTP; `token` undefined sends no Authorization. */
export function apiClient(baseUrl: string, token?: string): ApiClient {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as any };
  };
  return clientOf(call);
}

/** What the SES and SMS stand-ins received, as `GET /_local/outbox` shows it. */
export interface Outbox {
  emails: { to: string[]; subject: string; text: string; from: string }[];
  sms: { to: string; text: string; from: string; reference: string }[];
}

export interface TestStack extends LocalStack {
  /** A client signed in as the tenant. */
  as(tenantId: string): Promise<ApiClient>;
  anonymous: ApiClient;
  outbox(): Promise<Outbox>;
  /** Empties the SES stand-in's store and the fake SMS gateway's list. */
  clearOutbox(): Promise<void>;
  /** The Scheduler emulator's schedules of one task. */
  schedulesOf(tenantId: string, taskId: string): StoredSchedule[];
}

/**
 * The SQS message a schedule's target hands the dispatch queue, as on AWS: the universal
 * `sqs:sendMessage` target's input is SendMessage's request (QueueUrl, MessageBody and the firm as
 * MessageGroupId); the templated SQS target's input is the body itself.
 */
export function queuedMessageOf(schedule: StoredSchedule): { body: string; groupId?: string } {
  const input = schedule.Target.Input ?? '';
  if (schedule.Target.Arn !== SQS_SEND_MESSAGE_TARGET) return { body: input };
  const request = JSON.parse(input) as { MessageBody: string; MessageGroupId?: string };
  return { body: request.MessageBody, ...(request.MessageGroupId ? { groupId: request.MessageGroupId } : {}) };
}

/** The dispatch event a schedule carries (tenant, task, notice, occurrence, plan version). */
export function dispatchEventOf(schedule: StoredSchedule): DispatchEvent {
  return JSON.parse(queuedMessageOf(schedule).body) as DispatchEvent;
}

/**
 * The local stack, in this process, on free ports, with a throw-away data folder. Every AWS
 * call of its functions is recorded for test/iam/roles-cover-calls.test.ts, which checks
 * each role against them after the suites ran; so e-mail goes with a configuration set, as
 * on AWS.
 */
export async function startTestStack(options: LocalStackOptions = {}): Promise<TestStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'frist-test-'));
  const toFile = awsCallFile();
  const stack = await startLocalStack({
    ...options,
    // Also a test's own recorder (one that counts calls), the file for the roles check still sees every call.
    recordAwsCalls: (fn, call) => {
      toFile(fn, call);
      options.recordAwsCalls?.(fn, call);
    },
    dataDir,
    port: 0,
    env: { LOG_LEVEL: 'SILENT', SES_CONFIGURATION_SET: 'frist-local', ...options.env },
  });
  const contract = responseChecker((await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as OpenApiDocument);
  return {
    ...stack,
    as: async (tenantId) => checked(apiClient(stack.apiUrl, await stack.token(tenantId)), contract),
    anonymous: checked(apiClient(stack.apiUrl), contract),
    outbox: async () => (await apiClient(stack.apiUrl).get<Outbox>('/_local/outbox')).body,
    clearOutbox: async () => {
      await fetch(`${stack.sesEndpoint}/clear-store`, { method: 'POST' });
      stack.sms.clear();
    },
    schedulesOf: (tenantId, taskId) => {
      const prefix = taskSchedulePrefix(tenantId, taskId);
      return [...stack.scheduler.schedules.values()].filter((s) => s.Name.startsWith(prefix));
    },
    stop: async () => {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A client whose every answer to a documented operation is checked against /openapi.json,
 * strictly (see contract.ts): any flow of the integration suites that meets an undocumented
 * status, content type or field fails there.
 */
function checked(client: ApiClient, contract: ReturnType<typeof responseChecker>): ApiClient {
  const call: ApiClient['call'] = async (method, path, body, headers) => {
    const res = await client.call(method, path, body, headers);
    const operation = contract.operationFor(method, path);
    const problems = operation ? contract.check(operation, res) : [];
    if (problems.length) throw new Error(`the answer breaks /openapi.json:\n${problems.join('\n')}`);
    return res;
  };
  return clientOf(call);
}

/** The verbs of a client, each through its `call`. */
function clientOf(call: ApiClient['call']): ApiClient {
  return {
    call,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    patch: (path, patch) => call('PATCH', path, patch, { 'content-type': 'application/merge-patch+json' }),
    delete: (path) => call('DELETE', path),
  };
}
