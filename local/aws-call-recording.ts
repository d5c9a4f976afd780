import type { AwsCall } from '../shared/adapters/call-observer.ts';
import type { ClientOverrides } from '../shared/composition.ts';
import type { FunctionName } from '../shared/telemetry-names.ts';

export type { FunctionName };

/** Receives each AWS SDK call with the function that made it. */
export type AwsCallRecorder = (fn: FunctionName, call: AwsCall) => void;

/** The overrides of one function's clients: with a recorder, they report under its name. */
export function clientsOf(fn: FunctionName, overrides: ClientOverrides, record: AwsCallRecorder | undefined): ClientOverrides {
  return record ? { ...overrides, recordCall: (call) => record(fn, call) } : overrides;
}
