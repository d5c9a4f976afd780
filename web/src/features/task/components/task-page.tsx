import { Anchor, Stack, Tabs, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { ErrorState, LoadingState } from '@/components/states';
import { ApiError } from '@/lib/api';
import { useFirmTimeZone, useSettings } from '@/features/settings';
import { TemplateLink } from '@/features/templates';
import { taskKeys, useTask, type Task } from '../api/task-queries';
import type { CreatedState } from './new-task';
import { TaskDeliveries } from './task-deliveries';
import { TaskDetails } from './task-details';
import { TaskPlan } from './task-plan';
import { TaskUnreadable } from './task-unreadable';

const TABS = ['details', 'notices', 'plan', 'deliveries'] as const;
type Tab = (typeof TABS)[number];

/**
 * One task: Detaljer, Varsler (the notices editor, given by the route), Plan and Utsendelser.
 * The open tab is in the address (`?tab=plan`), so a reload or a shared link keeps it.
 */
export function TaskPage({ taskId, notices }: { taskId: string; notices: (task: Task, onSaved: (task: Task) => void) => ReactNode }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const queryClient = useQueryClient();
  const task = useTask(taskId);
  const settings = useSettings();
  const timeZone = useFirmTimeZone();
  const tab: Tab = TABS.find((name) => name === params.get('tab')) ?? 'details';
  const created = (location.state as Partial<CreatedState> | null)?.created;

  if (task.isPending || settings.isPending) return <LoadingState label={t('task.loading')} />;
  if (task.isError) {
    return (
      <Stack gap="lg">
        <Anchor component={Link} to="/">
          {t('task.back')}
        </Anchor>
        {task.error instanceof ApiError && task.error.isStoredTaskUnreadable ? (
          <TaskUnreadable taskId={taskId} />
        ) : (
          <ErrorState error={task.error} onRetry={() => void task.refetch()} />
        )}
      </Stack>
    );
  }

  const onNoticesSaved = (saved: Task) => {
    queryClient.setQueryData(taskKeys.one(saved.id), saved);
    void queryClient.invalidateQueries({ queryKey: taskKeys.register });
    void queryClient.invalidateQueries({ queryKey: taskKeys.plan(saved.id) });
  };

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/">
        {t('task.back')}
      </Anchor>
      <Title order={1}>{task.data.title}</Title>
      {task.data.template && <TemplateLink template={task.data.template} />}
      <Tabs
        value={tab}
        onChange={(value) => setParams(value && value !== 'details' ? { tab: value } : {}, { replace: true, state: location.state as unknown })}
        keepMounted={false}
      >
        <Tabs.List aria-label={t('task.tabs.label')}>
          {TABS.map((name) => (
            <Tabs.Tab key={name} value={name}>
              {t(`task.tabs.${name}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="details" pt="lg">
          <TaskDetails task={task.data} timeZone={timeZone} initialOutcome={created} onReload={() => void task.refetch()} />
        </Tabs.Panel>
        <Tabs.Panel value="notices" pt="lg">
          {notices(task.data, onNoticesSaved)}
        </Tabs.Panel>
        <Tabs.Panel value="plan" pt="lg">
          <TaskPlan task={task.data} />
        </Tabs.Panel>
        <Tabs.Panel value="deliveries" pt="lg">
          <TaskDeliveries task={task.data} timeZone={timeZone} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
