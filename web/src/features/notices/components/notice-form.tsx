import { Alert, Button, Checkbox, Grid, Group, NativeSelect, NumberInput, Radio, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useLayoutEffect, useRef, type FocusEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TimeField } from '@/components/date-fields';
import type * as z from 'zod';
import { useSchemaForm } from '@/lib/forms';
import { OFFSET_UNITS } from '../utils/offset';
import {
  NOTICE_FIELDS,
  noticeFieldNames,
  replaceNotice,
  toNoticeInput,
  toValues,
  type Channel,
  type NoticeInput,
  type NoticeValues,
  type NoticeOwner,
} from '../utils/notice-values';
import { MergeCodeOverview } from './merge-code-overview';
import { NoticePreview } from './notice-preview';

/** How the owner's whole body is checked in the browser: the API's schema of its PUT, and the body with these notices. */
export interface NoticeCheck {
  schema: z.ZodType;
  bodyOf: (notices: NoticeInput[]) => unknown;
}

export interface NoticeFormProps {
  owner: Pick<NoticeOwner, 'notices'>;
  check: NoticeCheck;
  /** The task whose customer the preview fills in; none for a template. */
  previewTaskId?: string | undefined;
  /** The notice's place in the owner's list; the list's length for a new one. */
  index: number;
  dateOnly: boolean;
  timeZone: string;
  /** Saves the owner's whole list of notices; throws what the API refused. */
  onSave: (notices: NoticeInput[]) => Promise<unknown>;
  /** The save met a 409 or failed otherwise: the tab shows it. */
  onSaveFailed: (outcome: 'conflict' | 'failed', error: unknown) => void;
  onCancel: () => void;
  saving: boolean;
}

type TextField = 'subject' | 'message';

/** One notice: when, offset, channels, send time, repeat, the texts with the merge codes beside them, and the live preview. */
export function NoticeForm({ owner, check, previewTaskId, index, dateOnly, timeZone, saving, onSave, onSaveFailed, onCancel }: NoticeFormProps) {
  const { t } = useTranslation();
  const stored = owner.notices[index];
  const keep = { id: stored?.id, dateOnly, sendAt: stored?.sendAt };
  const { form, formMessages, showSaveError, clearMessages } = useSchemaForm<NoticeValues>({
    initialValues: toValues(stored),
    schema: check.schema,
    toBody: (values) => check.bodyOf(replaceNotice(owner, index, toNoticeInput(values, keep))),
    fields: NOTICE_FIELDS,
    fieldNames: noticeFieldNames(index),
    liveFields: ['subject', 'message', 'amount', 'when', 'repeat'],
  });
  const values = form.getValues();
  const channels = values.channels as Channel[];

  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  // The text field the merge codes go into: the one last in use (the message at first).
  const textRefs = { subject: useRef<HTMLInputElement>(null), message: useRef<HTMLTextAreaElement>(null) };
  const lastText = useRef<TextField>('message');
  // Where the cursor goes once an inserted code is rendered (the layout effect below).
  const pendingCaret = useRef<{ field: TextField; next: string; caret: number } | null>(null);
  function insertCode(placeholder: string) {
    const field: TextField = lastText.current === 'subject' && channels.includes('email') ? 'subject' : 'message';
    const element = textRefs[field].current;
    const text = form.getValues()[field];
    const start = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? start;
    const next = text.slice(0, start) + placeholder + text.slice(end);
    pendingCaret.current = { field, next, caret: start + placeholder.length };
    form.setFieldValue(field, next);
  }
  // Once React has rendered the inserted code (the commit of the click that inserted it):
  // focus back in the field, the cursor just after the code. Should the field hold anything
  // else by then, the user typed on, their cursor is where it belongs and stays there.
  useLayoutEffect(() => {
    const pending = pendingCaret.current;
    const element = pending && textRefs[pending.field].current;
    if (!pending || !element) return;
    pendingCaret.current = null;
    if (element.value !== pending.next) return;
    element.focus();
    element.setSelectionRange(pending.caret, pending.caret);
  });

  function textProps(field: TextField) {
    const props = form.getInputProps(field);
    const onFocus = props.onFocus as ((event: FocusEvent<HTMLElement>) => void) | undefined;
    return {
      ...props,
      onFocus: (event: FocusEvent<HTMLElement>) => {
        lastText.current = field;
        onFocus?.(event);
      },
    };
  }

  const submit = form.onSubmit(async (submitted) => {
    clearMessages();
    try {
      await onSave(replaceNotice(owner, index, toNoticeInput(submitted, keep)));
    } catch (error) {
      const outcome = showSaveError(error);
      if (outcome !== 'fields') onSaveFailed(outcome, error);
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-labelledby="notice-form-title">
      <Stack gap="md">
        <Title order={2} id="notice-form-title" ref={headingRef} tabIndex={-1}>
          {stored ? t('notices.form.editTitle', { number: index + 1 }) : t('notices.form.newTitle')}
        </Title>
        <Grid gap="xl">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="md">
              <Radio.Group label={t('notices.form.when')} {...form.getInputProps('when')}>
                <Group mt="xs">
                  <Radio value="before" label={t('notices.form.before')} />
                  <Radio value="after" label={t('notices.form.after')} />
                </Group>
              </Radio.Group>
              <Group align="flex-start">
                <NumberInput label={t('notices.form.amount')} min={0} allowDecimal={false} allowNegative={false} w={140} {...form.getInputProps('amount')} />
                <NativeSelect
                  label={t('notices.form.unit')}
                  data={OFFSET_UNITS.map((unit) => ({ value: unit, label: t(`notices.form.units.${unit}`) }))}
                  {...form.getInputProps('unit')}
                />
                {dateOnly && (
                  <TimeField
                    label={t('notices.form.sendAt')}
                    w={200}
                    description={t('notices.form.sendAtHelp', { zone: timeZone })}
                    {...form.getInputProps('sendAt')}
                  />
                )}
              </Group>
              <NativeSelect
                label={t('notices.form.sendOn')}
                description={t('notices.form.sendOnHelp')}
                w={{ base: '100%', sm: 360 }}
                data={[
                  { value: '', label: t('notices.form.sendOnFirm') },
                  { value: 'businessDays', label: t('sendOn.businessDays') },
                  { value: 'any', label: t('sendOn.any') },
                ]}
                {...form.getInputProps('sendOn')}
              />
              <Checkbox.Group label={t('notices.form.channels')} {...form.getInputProps('channels')}>
                <Group mt="xs">
                  <Checkbox value="email" label={t('notices.channels.email')} />
                  <Checkbox value="sms" label={t('notices.channels.sms')} />
                </Group>
              </Checkbox.Group>
              <Checkbox label={t('notices.form.repeat')} {...form.getInputProps('repeat', { type: 'checkbox' })} />
              {values.repeat && (
                <Group align="flex-start">
                  <NumberInput label={t('notices.form.repeatEvery')} min={1} max={365} allowDecimal={false} w={180} {...form.getInputProps('repeatEvery')} />
                  <NumberInput label={t('notices.form.repeatTimes')} min={1} max={12} allowDecimal={false} w={180} {...form.getInputProps('repeatTimes')} />
                </Group>
              )}
              {channels.includes('email') && <TextInput ref={textRefs.subject} label={t('notices.form.subject')} {...textProps('subject')} />}
              <Textarea ref={textRefs.message} label={t('notices.form.message')} autosize minRows={5} {...textProps('message')} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <MergeCodeOverview onInsert={insertCode} />
          </Grid.Col>
        </Grid>
        <NoticePreview
          taskId={previewTaskId}
          channels={channels.filter((c) => c === 'email' || c === 'sms')}
          subject={values.subject}
          message={values.message}
        />
        {formMessages.length > 0 && (
          <Alert color="red" variant="outline" role="alert">
            {formMessages.join(' ')}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={saving}>
            {t('notices.form.save')}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('notices.form.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
