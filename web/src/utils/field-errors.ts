import type { TFunction } from 'i18next';
import type { FieldError } from '../lib/api/api-error.ts';

export interface FieldMessages {
  /** A message per form field, in the user's language, for the fields the form shows. */
  byField: Record<string, string>;
  /** Messages for fields the form does not show (shown above the form). */
  other: string[];
}

/**
 * The API's field errors (`errors[{field, rule, message}]`) as messages for a form: each
 * `rule` has its text in the catalogue; the API's own message (English) is the fallback for a
 * rule the catalogue does not know. `fields` maps an API field path (`notices.0.offset`) to the
 * form's field name when they differ; paths not in it are taken as they are when the form has
 * that field (`knownFields`).
 */
export function fieldMessages(errors: readonly FieldError[], t: TFunction, knownFields: readonly string[], fields: Record<string, string> = {}): FieldMessages {
  const result: FieldMessages = { byField: {}, other: [] };
  for (const error of errors) {
    const text = ruleText(error, t);
    const field = fields[error.field] ?? error.field;
    if (knownFields.includes(field)) {
      result.byField[field] = result.byField[field] ? `${result.byField[field]} ${text}` : text;
    } else {
      result.other.push(`${error.field}: ${text}`);
    }
  }
  return result;
}

/** The catalogue's text for an error's rule, with the merge code it names where the rule has one. */
export function ruleText(error: FieldError, t: TFunction): string {
  const key = `rules.${error.rule}`;
  if (!t(key, { defaultValue: '' })) return error.message;
  const code = /\{\{[^}]*\}\}/.exec(error.message)?.[0] ?? '';
  return t(key as 'rules.required', { code, example: '{{customer.name}}' });
}
