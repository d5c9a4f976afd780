import { useEffect, useRef, useState, type FormEvent } from 'react';
import { SettingsPatch as SettingsPatchSchema } from '../../../../../shared/api/settings.schemas.ts';
import { useSchemaForm } from '@/lib/forms';
import { useSettings, type Settings } from '../api/get-settings';
import { useUpdateSettings, type SettingsPatch } from '../api/update-settings';

type SavedMessage =
  'settings.saved' | 'settings.noChanges' | 'settings.smsAccount.passwordRemoved' | 'settings.smsAccount.accountRemoved' | 'settings.smsLimits.raiseCancelled';

/** What the last save of a section did, for the section to show. */
export type SectionStatus =
  null | { kind: 'saved'; message: SavedMessage } | { kind: 'unchanged'; message: SavedMessage } | { kind: 'conflict' } | { kind: 'failed' };

export type SectionPatch = Omit<SettingsPatch, 'version'>;

interface SettingsSectionOptions<Values extends Record<string, unknown>> {
  settings: Settings;
  /** The section's inputs as the stored settings fill them. */
  values: (settings: Settings) => Values;
  /** The body the inputs make, checked with the API's PATCH schema as the user types. */
  toBody: (values: Values) => SectionPatch;
  /** What the section changed against the stored settings; undefined when nothing. */
  toPatch: (values: Values, settings: Settings) => SectionPatch | undefined;
  fields: readonly string[];
  /** The API's field paths that a form field of another name shows (`quietHours.end`: `quietEnd`). */
  fieldNames?: Record<string, string>;
  liveFields?: readonly string[];
}

/**
 * A section of the settings screen: a form over some settings, saved as a merge patch of what
 * it changed with the version read (so it leaves every other setting as stored), field errors
 * at the fields, a 409 as a conflict with a reload. Focus goes to the first refused field, or
 * to what the save did.
 */
export function useSettingsSection<Values extends Record<string, unknown>>(options: SettingsSectionOptions<Values>) {
  const { settings } = options;
  const query = useSettings();
  const update = useUpdateSettings();
  const [status, setStatus] = useState<SectionStatus>(null);
  const formRef = useRef<HTMLFormElement | null>(null);
  const statusRef = useRef<HTMLDivElement | null>(null);
  const { form, formMessages, showSaveError, clearMessages } = useSchemaForm<Values>({
    initialValues: options.values(settings),
    schema: SettingsPatchSchema,
    toBody: (values) => ({ ...options.toBody(values), version: 0 }),
    fields: options.fields,
    fieldNames: options.fieldNames,
    liveFields: options.liveFields,
  });

  function showValues(next: Settings) {
    const values = options.values(next);
    form.setInitialValues(values);
    form.setValues(values);
    form.resetDirty(values);
  }

  // Focus moves once what it moves to is on the screen: after the render that shows it.
  const [focusRequest, setFocusRequest] = useState<{ target: 'status' | 'field' }>();
  const focusAfter = (target: 'status' | 'field') => setFocusRequest({ target });
  useEffect(() => {
    if (!focusRequest) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (focusRequest.target === 'field' && invalid) invalid.focus();
    else (statusRef.current?.querySelector<HTMLElement>('button') ?? statusRef.current)?.focus();
  }, [focusRequest]);

  async function save(patch: SectionPatch, message: SavedMessage = 'settings.saved') {
    setStatus(null);
    clearMessages();
    try {
      const saved = await update.mutateAsync({ ...patch, version: settings.version });
      showValues(saved);
      setStatus({ kind: 'saved', message });
      focusAfter('status');
    } catch (error) {
      const outcome = showSaveError(error);
      if (outcome !== 'fields') setStatus({ kind: outcome });
      focusAfter(outcome === 'fields' ? 'field' : 'status');
    }
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    formRef.current = event.currentTarget;
    form.onSubmit(
      (values) => {
        const patch = options.toPatch(values, settings);
        if (patch) void save(patch);
        else {
          setStatus({ kind: 'unchanged', message: 'settings.noChanges' });
          focusAfter('status');
        }
      },
      () => focusAfter('field'),
    )(event);
  };

  async function reload() {
    const { data } = await query.refetch();
    if (data) showValues(data);
    setStatus(null);
    clearMessages();
  }

  return { form, formMessages, status, statusRef, onSubmit, save, saving: update.isPending, onReload: () => void reload() };
}
