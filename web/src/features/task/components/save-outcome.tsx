import { Alert, Box, List, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ConflictAlert, errorMessageKey } from '@/components/states';
import { ApiError } from '@/lib/api';
import type { Task } from '../api/task-queries';

/** What the last save, completion or reopening came to, for the user to read. */
export type Outcome =
  | { kind: 'saved'; message: string; task: Pick<Task, 'warnings' | 'inFlight' | 'inFlightUnknown'> }
  | { kind: 'conflict' }
  | { kind: 'failed'; error: unknown; creating?: boolean }
  | { kind: 'messages'; messages: string[] };

/** The answer of a save in words: done, with its warnings and sends under way; or why not. */
export function SaveOutcome({ outcome, onReload }: { outcome: Outcome | undefined; onReload: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  // The button pressed may be gone (Fullfør becomes Gjenåpne, a saved form starts afresh):
  // the keyboard continues from each new answer, which a screen reader reads out.
  useEffect(() => {
    if (outcome && outcome.kind !== 'messages') box.current?.focus();
  }, [outcome]);
  if (!outcome) return null;
  return (
    <Box ref={box} tabIndex={-1} data-testid="save-outcome" style={{ outline: 'none' }}>
      <OutcomeText outcome={outcome} onReload={onReload} />
    </Box>
  );
}

function OutcomeText({ outcome, onReload }: { outcome: Outcome; onReload: () => void }) {
  const { t } = useTranslation();
  if (outcome.kind === 'conflict') return <ConflictAlert onReload={onReload} />;
  if (outcome.kind === 'failed') {
    return (
      <Alert color="red" title={t('errors.title')} role="alert" variant="outline">
        {t(errorMessageKey(outcome.error, outcome.creating))}
      </Alert>
    );
  }
  if (outcome.kind === 'messages') {
    return (
      <Alert color="red" title={t('errors.validation')} role="alert" variant="outline">
        <List>
          {outcome.messages.map((message) => (
            <List.Item key={message}>{message}</List.Item>
          ))}
        </List>
      </Alert>
    );
  }
  const { warnings = [], inFlight = [], inFlightUnknown } = outcome.task;
  return (
    <Stack gap="sm" role="status">
      <Alert color="green" variant="light">
        {outcome.message}
      </Alert>
      {warnings.length > 0 && (
        <Alert color="yellow" variant="outline" title={t('task.warningsTitle')}>
          <List>
            {warnings.map((warning) => (
              <List.Item key={`${warning.code}-${warning.field}`}>{t(`task.warnings.${warning.code}`, { defaultValue: warning.message })}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {inFlight.length > 0 && (
        <Alert color="blue" variant="outline">
          <Text>{t('task.inFlight', { count: inFlight.length })}</Text>
        </Alert>
      )}
      {inFlightUnknown && (
        <Alert color="blue" variant="outline">
          <Text>{t('task.inFlightUnknown')}</Text>
        </Alert>
      )}
    </Stack>
  );
}

/** A failed save as an outcome; a 422's field errors are at their fields already (the rest: the form's messages). */
export function failedOutcome(kind: 'fields' | 'conflict' | 'failed', error: unknown): Outcome | undefined {
  if (kind === 'conflict') return { kind: 'conflict' };
  if (kind === 'failed') return { kind: 'failed', error };
  return undefined;
}

/** A failed completion, reopening or delete: a 409 asks for a reload, anything else is said in words. */
export function outcomeOfError(error: unknown): Outcome {
  return error instanceof ApiError && error.isConflict ? { kind: 'conflict' } : { kind: 'failed', error };
}
