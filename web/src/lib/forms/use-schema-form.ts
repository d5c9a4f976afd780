import { useForm, type UseFormReturnType } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type * as z from 'zod';
import { ApiError } from '@/lib/api';
import { fieldMessages } from '@/utils/field-errors';
import { schemaMessages } from './schema-errors';

export interface SchemaFormOptions<Values extends Record<string, unknown>> {
  initialValues: Values;
  /** The API's request schema (shared/api): the body must pass it before it is sent. */
  schema: z.ZodType;
  /** The request body the form's values make (empty inputs left out, numbers parsed, ...). */
  toBody: (values: Values) => unknown;
  /** The form fields (dotted paths, as the API names them) that show their own message. */
  fields: readonly string[];
  /** API field paths that the form shows under another name. */
  fieldNames?: Record<string, string>;
  /** Fields checked as the user types, not only on leaving them (a length rule shown live). */
  liveFields?: readonly string[];
}

export interface SchemaForm<Values extends Record<string, unknown>> {
  form: UseFormReturnType<Values>;
  /** Messages for what no field of the form shows; render them above the buttons. */
  formMessages: string[];
  /**
   * Shows a failed save: a 422's field errors at their fields (the rest in `formMessages`).
   * Returns what else happened, for the screen to show: `conflict` (409: someone else saved
   * first) or `failed` (anything else).
   */
  showSaveError: (error: unknown) => 'fields' | 'conflict' | 'failed';
  /** Clears the messages of an earlier save. */
  clearMessages: () => void;
}

/**
 * A Mantine form that validates with the API's own zod schema, on blur, on submit and (for
 * `liveFields`) as the user types, and that puts the server's field errors at the same fields.
 */
export function useSchemaForm<Values extends Record<string, unknown>>(options: SchemaFormOptions<Values>): SchemaForm<Values> {
  const { t } = useTranslation();
  const [formMessages, setFormMessages] = useState<string[]>([]);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: options.initialValues,
    validateInputOnBlur: true,
    validateInputOnChange: options.liveFields ? [...options.liveFields] : false,
    validate: (values) => schemaMessages(options.schema, options.toBody(values), t, options.fields, options.fieldNames).byField,
  });

  function showSaveError(error: unknown): 'fields' | 'conflict' | 'failed' {
    if (!(error instanceof ApiError)) return 'failed';
    if (error.isConflict) return 'conflict';
    if (error.fieldErrors.length === 0) return 'failed';
    const { byField, other } = fieldMessages(error.fieldErrors, t, options.fields, options.fieldNames);
    form.setErrors(byField);
    setFormMessages(other);
    return 'fields';
  }

  return { form, formMessages, showSaveError, clearMessages: () => setFormMessages([]) };
}
