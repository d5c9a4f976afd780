import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError, NetworkError } from '@/lib/api';

/** Something is on its way: a spinner and words, announced politely to screen readers. */
export function LoadingState({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status">
      <Group gap="sm">
        <Loader size="sm" aria-hidden />
        <Text>{label ?? t('common.loading')}</Text>
      </Group>
    </Center>
  );
}

/** Nothing to show, said in words. */
export function EmptyState({ message }: { message: string }) {
  return (
    <Center py="xl">
      <Text>{message}</Text>
    </Center>
  );
}

/**
 * A failed load or save, in words the user can act on, with a way to try again where that can
 * help: not for what is not there (404) or a damaged stored task. `creating`: the failure of a create.
 */
export function ErrorState({ error, onRetry, creating = false }: { error: unknown; onRetry?: () => void; creating?: boolean }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" title={t('errors.title')} role="alert" variant="outline">
      <Stack gap="sm" align="flex-start">
        <Text>{t(errorMessageKey(error, creating))}</Text>
        {onRetry && !(error instanceof ApiError && (error.status === 404 || error.isStoredTaskUnreadable)) && (
          <Button variant="default" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** A 409: someone else saved first. The user reloads, then makes the change again. */
export function ConflictAlert({ onReload }: { onReload: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red.9" title={t('errors.conflictTitle')} role="alert" variant="outline">
      <Stack gap="sm" align="flex-start">
        <Text>{t('errors.conflictBody')}</Text>
        <Button onClick={onReload}>{t('errors.conflictReload')}</Button>
      </Stack>
    </Alert>
  );
}

/**
 * The words for a failure. A create refused with 409 sent its idempotency key again with another
 * body: an earlier attempt whose answer was lost made the item, and the form changed since.
 */
export function errorMessageKey(error: unknown, creating = false) {
  if (error instanceof NetworkError) return 'errors.network' as const;
  if (error instanceof ApiError) {
    if (creating && error.isConflict) return 'errors.createdEarlier' as const;
    if (error.isStoredTaskUnreadable) return 'errors.taskUnreadable' as const;
    if (error.status === 503) return 'errors.busy' as const;
    if (error.status === 404) return 'errors.notFound' as const;
    if (error.status === 401) return 'errors.signedOut' as const;
    if (error.status === 422) return 'errors.validation' as const;
    if (error.isConflict) return 'errors.conflictBody' as const;
  }
  return 'errors.server' as const;
}
