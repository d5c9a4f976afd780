import { Button, Group, NativeSelect } from '@mantine/core';
import { LazyDateField } from '@/components/lazy-date-field';
import { useTranslation } from 'react-i18next';
import { CustomerSelect } from '@/features/customers';
import { hasAnyFilter, type TaskFilters as Filters } from '../utils/register-params';

/** The register's filters; each change applies at once (and lands in the URL). */
export function TaskFilters(props: {
  filters: Filters;
  errors: Record<string, string>;
  /** One filter changed (`undefined` or '': removed). */
  onChange: <K extends keyof Filters>(name: K, value: Filters[K] | '' | undefined) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const { filters, errors, onChange: set } = props;

  return (
    <Group component="form" role="search" aria-label={t('tasks.register.filters')} align="flex-end" gap="md" onSubmit={(e) => e.preventDefault()}>
      <NativeSelect
        label={t('tasks.register.status')}
        value={filters.status ?? ''}
        onChange={(e) => set('status', e.currentTarget.value as Filters['status'])}
        data={[
          { value: '', label: t('tasks.register.statusAny') },
          { value: 'open', label: t('tasks.status.open') },
          { value: 'completed', label: t('tasks.status.completed') },
        ]}
      />
      <CustomerSelect
        label={t('tasks.register.customer')}
        placeholder={t('tasks.register.customerAny')}
        nothingFound={t('tasks.register.customerNone')}
        value={filters.customerId}
        onChange={(id) => set('customerId', id)}
      />
      <LazyDateField
        label={t('tasks.register.deadlineFrom')}
        w={160}
        value={filters.deadlineFrom ?? ''}
        onChange={(date) => set('deadlineFrom', date)}
        error={errors.deadlineFrom}
      />
      <LazyDateField
        label={t('tasks.register.deadlineTo')}
        w={160}
        value={filters.deadlineTo ?? ''}
        onChange={(date) => set('deadlineTo', date)}
        error={errors.deadlineTo}
      />
      <NativeSelect
        label={t('tasks.register.hasNotices')}
        value={filters.hasNotices ?? ''}
        onChange={(e) => set('hasNotices', e.currentTarget.value as Filters['hasNotices'])}
        data={[
          { value: '', label: t('tasks.register.hasNoticesAny') },
          { value: 'true', label: t('tasks.register.hasNoticesYes') },
          { value: 'false', label: t('tasks.register.hasNoticesNo') },
        ]}
      />
      {hasAnyFilter(filters) && (
        <Button variant="default" onClick={props.onClear}>
          {t('tasks.register.clearFilters')}
        </Button>
      )}
    </Group>
  );
}
