import { TextInput } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { DateFieldProps } from './date-fields';

// @mantine/dates and dayjs (~25 KB gzip) stay out of the first screen's JavaScript: the
// register's filter loads its date fields just after the screen has shown.
const DateField = lazy(() => import('./date-fields').then((module) => ({ default: module.DateField })));

/**
 * The date field for the first screen: until its code has come, a read-only field with the same
 * label, size and value (`dd.mm.yyyy`) stands in its place, so nothing moves when it arrives.
 */
export function LazyDateField(props: DateFieldProps) {
  const { t } = useTranslation();
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(props.value ?? '');
  const fallback = (
    <TextInput
      label={props.label}
      w={props.w}
      readOnly
      value={date ? `${date[3]}.${date[2]}.${date[1]}` : ''}
      placeholder={t('dates.datePlaceholder')}
      error={props.error}
    />
  );
  return (
    <Suspense fallback={fallback}>
      <DateField {...props} />
    </Suspense>
  );
}
