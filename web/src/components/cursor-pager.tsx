import { Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Cursor paging kept in the component: forward by the API's `nextCursor`, back by the cursors
 * gone through. `reset()` goes back to the first page (a new search).
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    cursor: cursors.at(-1),
    page: cursors.length + 1,
    next: (cursor: string) => setCursors((list) => [...list, cursor]),
    previous: () => setCursors((list) => list.slice(0, -1)),
    reset: () => setCursors([]),
  };
}

/** Previous / "Page n" / next, for a list paged by cursor; nothing when there is only one page. */
export function CursorPager({ pages, nextCursor }: { pages: ReturnType<typeof useCursorPages>; nextCursor: string | undefined }) {
  const { t } = useTranslation();
  if (pages.page === 1 && !nextCursor) return null;
  return (
    <Group component="nav" aria-label={t('common.pages.label')} justify="space-between">
      <Button variant="default" onClick={pages.previous} disabled={pages.page === 1}>
        {t('common.pages.previous')}
      </Button>
      <Text aria-live="polite">{t('common.pages.page', { page: pages.page })}</Text>
      <Button variant="default" onClick={() => nextCursor && pages.next(nextCursor)} disabled={!nextCursor}>
        {t('common.pages.next')}
      </Button>
    </Group>
  );
}
