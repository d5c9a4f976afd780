import { safeParse, type $ZodType } from 'zod/v4/core';
import { bodyJson } from './body-json.ts';

/** An SQS message's body as JSON, checked by `schema` (of zod's classic build or its mini one). */
export function parseMessageBody<T>(schema: $ZodType<T>, body: string) {
  return safeParse(schema, bodyJson(body));
}
