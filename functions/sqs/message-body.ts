import { safeParse, type $ZodType } from 'zod/v4/core';

/**
 * An SQS message's body as JSON, checked by `schema` (of zod's classic build or its mini one).
 * A body that is not JSON fails the way a body of the wrong shape does, so the caller has one
 * refusal to report.
 */
export function parseMessageBody<T>(schema: $ZodType<T>, body: string) {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return safeParse(schema, json);
}
