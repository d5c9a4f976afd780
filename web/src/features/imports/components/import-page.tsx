import { Alert, Button, FileInput, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PagedTable, useCursorPages } from '@/components/cursor-pager';
import { ErrorState, LoadingState } from '@/components/states';
import { ApiError } from '@/lib/api';
import { isActive, useJob, useJobProblems, useStartImport, type Job, type JobProblem } from '../api/imports';

/**
 * The import: choose a CSV file, upload it, follow the job's counts while it runs, then page
 * through the rows it did not import (line, column, the rule in words).
 */
export function ImportPage() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  // One key per chosen file: "Import" pressed again after a lost answer gets the same job.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const start = useStartImport();
  const job = useJob(start.data?.id);

  return (
    <Stack gap="md" maw={900}>
      <Title order={1}>{t('imports.title')}</Title>
      <Text>{t('imports.intro')}</Text>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (file) start.mutate({ file, key });
        }}
      >
        <Group align="flex-end">
          <FileInput
            label={t('imports.file')}
            description={t('imports.fileHint')}
            accept=".csv,text/csv"
            value={file}
            onChange={(chosen) => {
              setFile(chosen);
              setKey(crypto.randomUUID());
              start.reset();
            }}
            clearable
            clearButtonProps={{ 'aria-label': t('imports.clear') }}
            w={360}
          />
          <Button type="submit" disabled={!file || start.isPending || (job.data !== undefined && isActive(job.data))} loading={start.isPending}>
            {t('imports.upload')}
          </Button>
        </Group>
      </form>
      {start.isError && <UploadError error={start.error} />}
      {job.isError && <ErrorState error={job.error} onRetry={() => void job.refetch()} />}
      {job.data && <JobProgress job={job.data} />}
      {job.data?.state === 'done' && job.data.problems.length > 0 && <ProblemList jobId={job.data.id} />}
    </Stack>
  );
}

/** Why the file was refused as a whole: each of the API's reasons in words, else the general error. */
function UploadError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const issues = error instanceof ApiError && error.status === 422 ? error.problem?.errors : undefined;
  if (!issues?.length) return <ErrorState error={error} creating />;
  return (
    <Alert color="red" title={t('imports.refused')} role="alert" variant="outline">
      <Stack gap={4}>
        {issues.map((issue, index) => (
          <Text key={index}>{`${issue.field}: ${t(`rules.${issue.rule}`, { defaultValue: issue.message })}`}</Text>
        ))}
      </Stack>
    </Alert>
  );
}

/** The job's state and counts; a bar of the rows gone through so far. */
function JobProgress({ job }: { job: Job }) {
  const { t } = useTranslation();
  const total = job.total ?? 0;
  const through = job.done + job.skipped + job.failed;
  return (
    <Stack gap="xs" role="status" aria-live="polite">
      <Text fw={600}>{t(`imports.state.${job.state}`)}</Text>
      <Progress value={total ? (100 * through) / total : 0} aria-label={t('imports.progress', { through, total })} />
      <Text>{t('imports.counts', { through, total, done: job.done, skipped: job.skipped, failed: job.failed })}</Text>
      {isActive(job) && <LoadingState label={t('imports.running')} />}
    </Stack>
  );
}

function ProblemList({ jobId }: { jobId: string }) {
  const { t } = useTranslation();
  const pages = useCursorPages();
  const problems = useJobProblems(jobId, pages.cursor);
  return (
    <Stack gap="xs">
      <Title order={2}>{t('imports.problems.title')}</Title>
      <PagedTable<JobProblem>
        query={problems}
        pages={pages}
        caption={t('imports.problems.caption')}
        columns={[t('imports.problems.line'), t('imports.problems.column'), t('imports.problems.rule'), t('imports.problems.outcome')]}
        empty={t('imports.problems.empty')}
        row={(problem) => (
          <Table.Tr key={`${problem.line}-${problem.column}-${problem.rule}`}>
            <Table.Td>{problem.line}</Table.Td>
            <Table.Td>{problem.column}</Table.Td>
            <Table.Td>{problem.rule ? t(`rules.${problem.rule}`, { defaultValue: problem.message }) : problem.message}</Table.Td>
            <Table.Td>{t(`imports.problems.outcomes.${problem.outcome}`)}</Table.Td>
          </Table.Tr>
        )}
      />
    </Stack>
  );
}
