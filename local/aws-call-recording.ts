import type { AwsCall } from '../shared/adapters/call-observer.ts';
import type { ClientOverrides } from '../shared/composition.ts';

/** Frist's functions, as on AWS: each has clients of its own there, and a role of its own. */
export type FunctionName = 'api' | 'dispatch' | 'reconciler' | 'ses-events' | 'jobs';

/** Receives each AWS SDK call with the function that made it. */
export type AwsCallRecorder = (fn: FunctionName, call: AwsCall) => void;

/** The overrides of one function's clients: with a recorder, they report under its name. */
export function clientsOf(fn: FunctionName, overrides: ClientOverrides, record: AwsCallRecorder | undefined): ClientOverrides {
  return record ? { ...overrides, recordCall: (call) => record(fn, call) } : overrides;
}
