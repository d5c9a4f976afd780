import type * as z from 'zod';
import { ValidationError, type FieldIssue } from '../errors.ts';

/**
 * zod's issues as the problem+json `errors` list: a dotted field path, a stable rule name
 * (our own from `params.rule`, else derived from zod's issue code) and zod's message.
 */
export function toFieldIssues(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== '').join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: path ? `${path}.${key}` : key,
        rule: 'unknown-field',
        message: 'is not a field of this request',
      }));
    }
    const rule = ruleOf(issue);
    return [{ field: path || '(body)', rule, message: rule === 'required' && issue.code === 'invalid_type' ? 'is required' : issue.message }];
  });
}

function ruleOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'custom':
      return (issue.params?.rule as string | undefined) ?? 'invalid';
    case 'invalid_type':
      return issue.input === undefined ? 'required' : 'type';
    case 'too_big':
      return issue.origin === 'string' ? 'max-length' : issue.origin === 'array' ? 'max-items' : 'max';
    case 'too_small':
      return issue.origin === 'string' ? 'min-length' : issue.origin === 'array' ? 'min-items' : 'min';
    case 'invalid_format':
      return issue.format === 'regex' ? ((issue as { params?: { rule?: string } }).params?.rule ?? 'pattern') : issue.format;
    case 'invalid_value':
      return 'one-of';
    default:
      return issue.code;
  }
}

/** Parses with the schema, or throws a ValidationError naming every failing field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.output<S> {
  // reportInput lets ruleOf tell a missing field (required) from a wrong type; the input
  // itself never leaves this module.
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw new ValidationError(toFieldIssues(result.error, prefix));
  return result.data;
}
