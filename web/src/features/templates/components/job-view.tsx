import { Anchor, Badge, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PagedTable, useCursorPages } from '@/components/cursor-pager';
import { ErrorState, LoadingState } from '@/components/states';
import { ApiError, unwrap, useApi } from '@/lib/api';
import { formatDateTime } from '@/utils/format-date';
import { isRunning, useJob, useJobProblems, type Job, type JobProblem } from '../api/job-queries';
import { useTemplate } from '../api/template-queries';

/** A background job as it moves: its state and counts (read every second until it ends), and every task it skipped or failed. */
export function JobView({ jobId, timeZone }: { jobId: string; timeZone: string }) {
  const { t } = useTranslation();
  const job = useJob(jobId);
  const titleRef = useRef<HTMLHeadingElement>(null);
  // Arriving from "apply": the keyboard starts at the title, which a screen reader reads out.
  useEffect(() => titleRef.current?.focus(), []);
  return (
    <Stack gap="lg">
      <Title order={1} ref={titleRef} tabIndex={-1}>
        {t('templates.job.title')}
      </Title>
      {/* A read that failed while polling keeps the last counts on screen, with the failure above them. */}
      {job.isError && <ErrorState error={job.error} onRetry={() => void job.refetch()} />}
      {job.data ? <JobDetails job={job.data} timeZone={timeZone} /> : job.isPending && <LoadingState label={t('templates.job.loading')} />}
    </Stack>
  );
}

function JobDetails({ job, timeZone }: { job: Job; timeZone: string }) {
  const { t } = useTranslation();
  const running = isRunning(job);
  const counts = { done: job.done, skipped: job.skipped, failed: job.failed, total: job.total ?? job.done + job.skipped + job.failed };
  return (
    <Stack gap="md">
      {job.template && <TemplateLine template={job.template} onlyLinked={job.onlyLinked ?? false} />}
      <Group gap="sm">
        <Text fw={500}>{t('templates.job.state')}:</Text>
        <Badge variant="outline" color={job.state === 'done' ? 'teal.9' : running ? 'blue.9' : 'red.9'} data-testid="job-state">
          {t(`templates.job.states.${job.state}`)}
        </Badge>
        <Text c="dimmed">{t('templates.job.started', { at: formatDateTime(job.startedAt, timeZone) })}</Text>
      </Group>
      <Table variant="vertical" withTableBorder maw={420} data-testid="job-counts">
        <Table.Tbody>
          {(['done', 'skipped', 'failed'] as const).map((name) => (
            <Table.Tr key={name}>
              <Table.Th w={200}>{t(`templates.job.counts.${name}`)}</Table.Th>
              <Table.Td>{counts[name]}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {/* Always in the page, so the outcome is read out when it arrives (a live region added with its text is often not). */}
      <div role="status" aria-live="polite" data-testid="job-outcome">
        {!running && <Text fw={600}>{t(`templates.job.outcome.${job.state === 'done' ? 'done' : 'stopped'}`, counts)}</Text>}
      </div>
      <JobProblems job={job} />
    </Stack>
  );
}

function TemplateLine({ template, onlyLinked }: { template: { id: string; version: number }; onlyLinked: boolean }) {
  const { t } = useTranslation();
  const read = useTemplate(template.id);
  const name = read.data?.name ?? t('templates.job.deletedTemplate');
  return (
    <Text>
      {t(onlyLinked ? 'templates.job.appliesLinked' : 'templates.job.applies', { version: template.version })}{' '}
      {read.isSuccess ? (
        <Anchor component={Link} to={`/templates/${encodeURIComponent(template.id)}`}>
          {name}
        </Anchor>
      ) : (
        name
      )}
    </Text>
  );
}

/** Every task the job skipped or failed, a page at a time, read again as the counts grow. */
function JobProblems({ job }: { job: Job }) {
  const { t } = useTranslation();
  const pages = useCursorPages();
  const problems = useJobProblems(job.id, pages.cursor, `${job.state}:${job.skipped}:${job.failed}`);
  return (
    <Stack gap="sm" component="section" aria-labelledby="job-problems-title">
      <Title order={2} id="job-problems-title">
        {t('templates.job.problems.title')}
      </Title>
      <PagedTable
        query={problems}
        pages={pages}
        caption={t('templates.job.problems.caption')}
        columns={(['task', 'outcome', 'code', 'message'] as const).map((column) => t(`templates.job.problems.columns.${column}`))}
        empty={t('templates.job.problems.empty')}
        row={(problem) => <ProblemRow key={problem.taskId ?? `${problem.line}-${problem.column}-${problem.rule}`} problem={problem} />}
      />
    </Stack>
  );
}

const KNOWN_CODES = ['not-found', 'completed', 'not-linked', 'up-to-date', 'changed', 'invalid'] as const;

function ProblemRow({ problem }: { problem: JobProblem }) {
  const { t } = useTranslation();
  const code = KNOWN_CODES.find((known) => known === problem.code);
  return (
    <Table.Tr>
      <Table.Td>{problem.taskId ? <ProblemTask taskId={problem.taskId} /> : `${t('imports.problems.line')} ${problem.line ?? ''}`}</Table.Td>
      <Table.Td>{t(`templates.job.problems.outcomes.${problem.outcome}`)}</Table.Td>
      <Table.Td>
        <code>{problem.code}</code>
      </Table.Td>
      <Table.Td>{code ? t(`templates.job.problems.codes.${code}`) : problem.message}</Table.Td>
    </Table.Tr>
  );
}

/** The task by its title, linked; a task gone since (deleted), or not read yet, by its id. */
function ProblemTask({ taskId }: { taskId: string }) {
  const api = useApi();
  const task = useQuery({
    queryKey: ['tasks', 'one', taskId],
    queryFn: ({ signal }) => unwrap(api.GET('/tasks/{id}', { params: { path: { id: taskId } }, signal })),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });
  // Linked once it is known to be there: a task deleted since is no link to a page that is not found.
  if (!task.data) return <Text span>{taskId}</Text>;
  return (
    <Anchor component={Link} to={`/tasks/${encodeURIComponent(taskId)}`}>
      {task.data.title}
    </Anchor>
  );
}
