import type { TFunction } from 'i18next';
import type * as z from 'zod';
import { toFieldIssues } from '../../../../shared/api/zod-issues.ts';
import { fieldMessages, type FieldMessages } from '../../utils/field-errors.ts';

/**
 * Checks a request body in the browser with the very zod schema the API parses it with, and
 * turns the findings into the same `{field, rule, message}` list the API would answer
 * (shared/api/zod-issues.ts), then into the catalogue's words: a field is refused in the form
 * for the same rule, with the same words, as by the server.
 */
export function schemaMessages(schema: z.ZodType, body: unknown, t: TFunction, knownFields: readonly string[], fields?: Record<string, string>): FieldMessages {
  const result = schema.safeParse(body, { reportInput: true });
  if (result.success) return { byField: {}, other: [] };
  return fieldMessages(toFieldIssues(result.error), t, knownFields, fields);
}
