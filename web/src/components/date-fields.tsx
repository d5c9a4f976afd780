import '@mantine/dates/styles.css';
import 'dayjs/locale/nb';
import { DateInput, TimePicker, type DateInputProps, type TimePickerProps } from '@mantine/dates';
import dayjs from 'dayjs';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseTypedDate } from '@/utils/typed-date';

/**
 * The app's date and time fields: `dd.mm.yyyy` and 24-hour `HH:mm` whatever the browser's
 * language (a native date input shows the browser's own format, e.g. `mm/dd/yyyy`), month and
 * day names in the app's language (DatesProvider, app/provider.tsx). The values are the API's:
 * a date `YYYY-MM-DD`, a time `HH:mm`, '' for none.
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

interface FieldValue {
  label: string;
  value?: string;
  onChange: (value: string) => void;
}

export type DateFieldProps = FieldValue & Omit<DateInputProps, 'value' | 'onChange' | 'label' | 'valueFormat' | 'dateParser' | 'defaultValue'>;

/**
 * A date typed as `10.02.2027`; emptying it removes the date. A click opens the calendar, for
 * the mouse; it closes when a date is picked or typed whole, on Escape and on leaving the field,
 * so it never lies over the next field or the form's buttons while one types.
 *
 * Text that is no date when the user leaves the field (`31.02.2027`, `10.02.27`) stays as typed,
 * is said to be no date, and becomes the field's value: the form's rules refuse it, so nothing
 * is saved or searched with the date that was there before.
 */
export function DateField({ label, value, onChange, onClick, onKeyDown, onBlur, error, ...props }: DateFieldProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'nb';
  const [calendarOpen, setCalendarOpen] = useState(false);
  // The calendar keeps the last real date while the text is none, so the text is not reset.
  const typedText = value && !ISO_DATE.test(value) ? value : undefined;
  const lastDate = useRef<string | null>(null);
  if (!typedText) lastDate.current = value || null;
  return (
    <DateInput
      label={label}
      valueFormat="DD.MM.YYYY"
      dateParser={parseTypedDate}
      placeholder={t('dates.datePlaceholder')}
      value={lastDate.current}
      fixOnBlur={false}
      error={typedText ? t('dates.notADate') : error}
      onChange={(date) => {
        setCalendarOpen(false);
        onChange(date ?? '');
      }}
      popoverProps={{ opened: calendarOpen }}
      onClick={(event) => {
        setCalendarOpen(true);
        onClick?.(event);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') setCalendarOpen(false);
        onKeyDown?.(event);
      }}
      onBlur={(event) => {
        setCalendarOpen(false);
        const text = event.currentTarget.value.trim();
        if (text !== '' && parseTypedDate(text) === null) onChange(text);
        onBlur?.(event);
      }}
      clearable
      clearButtonProps={{ 'aria-label': t('dates.clearDate', { label }) }}
      getDayAriaLabel={(date) => dayjs(date).locale(language).format(t('dates.dayLabelFormat'))}
      // Days of the months before and after are left out: they show faded, below AA contrast.
      hideOutsideDates
      // The header's month and year buttons keep their visible text ("februar 2027") as their name.
      ariaLabels={{
        previousMonth: t('dates.previousMonth'),
        nextMonth: t('dates.nextMonth'),
        previousYear: t('dates.previousYear'),
        nextYear: t('dates.nextYear'),
        previousDecade: t('dates.previousDecade'),
        nextDecade: t('dates.nextDecade'),
      }}
      {...props}
    />
  );
}

export type TimeFieldProps = FieldValue & Omit<TimePickerProps, 'value' | 'onChange' | 'label' | 'format' | 'defaultValue'>;

/**
 * A time of day, 24-hour, as two fields (hours, minutes): `1400` typed is 14:00. The hours and
 * minutes are named after the label, and both point at the field's description and error.
 */
export function TimeField({ label, value, onChange, id, description, error, ...props }: TimeFieldProps) {
  const { t } = useTranslation();
  const fallbackId = useId();
  const fieldId = id ?? fallbackId;
  const describedBy =
    [error && typeof error !== 'boolean' ? `${fieldId}-error` : '', description ? `${fieldId}-description` : ''].filter(Boolean).join(' ') || undefined;
  const partProps = { 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined };
  return (
    <TimePicker
      id={fieldId}
      label={label}
      description={description}
      error={error}
      format="24h"
      value={value ?? ''}
      onChange={onChange}
      hoursInputLabel={t('dates.hours', { label })}
      minutesInputLabel={t('dates.minutes', { label })}
      hoursInputProps={partProps}
      minutesInputProps={partProps}
      clearable
      clearButtonProps={{ 'aria-label': t('dates.clearTime', { label }) }}
      {...props}
    />
  );
}
