import { Group, Stack, Textarea, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { DateField, TimeField } from '@/components/date-fields';
import { CustomerSelect } from '@/features/customers';
import type { TaskFormValues } from '../utils/task-form-values';

/** The detail fields of a task, for creating and for editing. */
export function TaskFields({ form, timeZone }: { form: UseFormReturnType<TaskFormValues>; timeZone: string }) {
  const { t } = useTranslation();
  const customer = form.getInputProps('customerId');
  return (
    <Stack gap="md" maw={640}>
      <TextInput label={t('task.fields.title')} withAsterisk {...form.getInputProps('title')} />
      <CustomerSelect
        label={t('task.fields.customer')}
        placeholder={t('task.fields.customerSearch')}
        nothingFound={t('task.fields.customerNone')}
        value={form.values.customerId || undefined}
        onChange={(id) => form.setFieldValue('customerId', id ?? '')}
        error={customer.error as string | undefined}
        required
      />
      <Group align="flex-start" gap="md">
        <DateField label={t('task.fields.deadlineDate')} w={180} {...form.getInputProps('deadlineDate')} />
        <TimeField
          label={t('task.fields.deadlineTime')}
          description={t('task.fields.deadlineTimeHint', { zone: timeZone })}
          maw={320}
          {...form.getInputProps('deadlineTime')}
        />
      </Group>
      <TextInput label={t('task.fields.responsible')} {...form.getInputProps('responsible')} />
      <Textarea label={t('task.fields.description')} autosize minRows={3} {...form.getInputProps('description')} />
    </Stack>
  );
}
