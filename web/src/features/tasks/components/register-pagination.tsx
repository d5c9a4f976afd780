import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Cursor paging: forward by the API's `nextCursor`, back by the cursors this tab went through. */
export function RegisterPagination(props: {
  page: number | undefined;
  onFirst: (() => void) | undefined;
  onPrevious: (() => void) | undefined;
  onNext: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Group component="nav" aria-label={t('tasks.register.pagination')} justify="space-between">
      <Group gap="xs">
        {props.onFirst && (
          <Button variant="default" onClick={props.onFirst}>
            {t('tasks.register.firstPage')}
          </Button>
        )}
        <Button variant="default" onClick={props.onPrevious} disabled={!props.onPrevious}>
          {t('tasks.register.previousPage')}
        </Button>
      </Group>
      <Text aria-live="polite">{props.page ? t('tasks.register.page', { page: props.page }) : null}</Text>
      <Button variant="default" onClick={props.onNext} disabled={!props.onNext}>
        {t('tasks.register.nextPage')}
      </Button>
    </Group>
  );
}
