import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { ApiError } from '@/lib/api';
import { useFirmTimeZone, useSettings } from '@/features/settings';
import { fieldMessages } from '@/utils/field-errors';
import { useTasks } from '../api/get-tasks';
import { useUnreadableTasks } from '../hooks/use-unreadable-tasks';
import { applySearchOf, filtersFrom, hasAnyFilter, pageHistoryOf, searchOf, type TaskFilters as Filters } from '../utils/register-params';
import { RegisterPagination } from './register-pagination';
import { TaskFilters } from './task-filters';
import { TaskTable } from './task-table';
import { UnreadableTasksAlert } from './unreadable-tasks-alert';

/** The task register: the firm's tasks by deadline, filtered and paged through the URL. */
export function TaskRegister() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const filters = filtersFrom(params);
  const cursor = params.get('cursor') ?? undefined;
  const history = pageHistoryOf(location.state) ?? { previous: [] };
  const settings = useSettings();
  const timeZone = useFirmTimeZone();
  const tasks = useTasks(filters, cursor);
  const unreadable = useUnreadableTasks(filters, tasks.isPlaceholderData ? undefined : tasks.data);

  const go = (next: Filters, nextCursor: string | undefined, previous: string[], replace = false) =>
    void navigate({ search: searchOf(next, nextCursor).toString() }, { state: { previous }, replace });
  // Read the filters from the address bar, not from this render: two quick changes (a date
  // typed into both fields) must not undo each other while the router re-renders.
  const onFilter = <K extends keyof Filters>(name: K, value: Filters[K] | '' | undefined) => {
    const next = filtersFrom(new URLSearchParams(window.location.search));
    if (value) next[name] = value;
    else delete next[name];
    go(next, undefined, [], true);
  };
  const firstPage = () => go(filters, undefined, []);

  const error = tasks.error instanceof ApiError ? tasks.error : undefined;
  const fields = fieldMessages(error?.status === 422 ? error.fieldErrors : [], t, ['deadlineFrom', 'deadlineTo', 'cursor']);
  const cursorRefused = error?.fieldErrors.find((e) => e.field === 'cursor');

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1}>{t('tasks.register.title')}</Title>
        <Button component={Link} to="/tasks/new">
          {t('task.create.open')}
        </Button>
      </Group>
      <TaskFilters filters={filters} errors={fields.byField} onChange={onFilter} onClear={() => go({}, undefined, [], true)} />
      <UnreadableTasksAlert ids={unreadable} />
      {tasks.isPending || settings.isPending ? (
        <LoadingState label={t('tasks.register.loadingRows')} />
      ) : cursorRefused ? (
        <Stack align="flex-start" role="alert">
          {/* Whatever its rule (not one the API gave, too long), a refused cursor is a page that cannot be shown. */}
          <Text>{t('rules.cursor')}</Text>
          <Button onClick={firstPage}>{t('tasks.register.firstPage')}</Button>
        </Stack>
      ) : tasks.isError && !(error?.status === 422 && fields.other.length === 0) ? (
        <ErrorState error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : tasks.isError ? null : tasks.data.items.length === 0 && !cursor ? (
        <EmptyState message={hasAnyFilter(filters) ? t('tasks.register.emptyFiltered') : t('tasks.register.empty')} />
      ) : (
        <>
          <TaskTable tasks={tasks.data.items} timeZone={timeZone} busy={tasks.isPlaceholderData} />
          <RegisterPagination
            page={cursor && !pageHistoryOf(location.state) ? undefined : history.previous.length + 1}
            onFirst={cursor && history.previous.length !== 1 ? firstPage : undefined}
            onPrevious={
              cursor
                ? () => (history.previous.length ? go(filters, history.previous.at(-1) || undefined, history.previous.slice(0, -1)) : firstPage())
                : undefined
            }
            onNext={
              tasks.data.nextCursor && !tasks.isPlaceholderData ? () => go(filters, tasks.data.nextCursor, [...history.previous, cursor ?? '']) : undefined
            }
          />
        </>
      )}
      {/* After the list: the templates list, to pick the template these filters' tasks get (its apply step starts with them). */}
      <Group>
        <Button variant="default" component={Link} to={`/templates?${applySearchOf(filters)}`}>
          {t('tasks.register.applyTemplate')}
        </Button>
      </Group>
    </Stack>
  );
}
