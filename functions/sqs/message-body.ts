import type * as z from 'zod';

/**
 * An SQS message's body as JSON, checked by `schema`. A body that is not JSON fails the way
 * a body of the wrong shape does, so the caller has one refusal to report.
 */
export function parseMessageBody<T>(schema: z.ZodType<T>, body: string) {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return schema.safeParse(json);
}
