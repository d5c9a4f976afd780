import { Button, Group, Stack, Table, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, LoadingState } from './states';

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

export interface PagedTableProps<T> {
  /** The page's query: pending, failed or its items (the previous page's while the next one comes). */
  query: UseQueryResult<{ items: T[]; nextCursor?: string }> & { isPlaceholderData: boolean };
  pages: ReturnType<typeof useCursorPages>;
  caption: string;
  columns: string[];
  /** Said when the list has no items. */
  empty: string;
  loadingLabel?: string;
  /** One item's row: a `Table.Tr`. */
  row: (item: T) => ReactNode;
}

/** A list paged by cursor as a table: loading, failed (with a retry) and empty said in words, then the rows and the pager. */
export function PagedTable<T>({ query, pages, caption, columns, empty, loadingLabel, row }: PagedTableProps<T>) {
  if (query.isPending) return <LoadingState label={loadingLabel} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data.items.length === 0) return <EmptyState message={empty} />;
  return (
    <Stack gap="sm">
      <Table striped highlightOnHover aria-busy={query.isPlaceholderData}>
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th scope="col" key={column}>
                {column}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{query.data.items.map(row)}</Table.Tbody>
      </Table>
      <CursorPager pages={pages} nextCursor={query.data.nextCursor} />
    </Stack>
  );
}
