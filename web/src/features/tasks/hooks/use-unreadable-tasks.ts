import { useState } from 'react';
import type { RegisterPage } from '../api/get-tasks';
import { searchOf, type TaskFilters } from '../utils/register-params';

/**
 * The ids of the damaged tasks (a page's `unreadable`) met on the register's pages under these
 * filters, each once, in the order met: paging on keeps them in view, and an id met again on a
 * later page is not named twice. New filters start afresh. `page`: the page shown, not a
 * placeholder kept from other filters.
 */
export function useUnreadableTasks(filters: TaskFilters, page: RegisterPage | undefined): string[] {
  const key = searchOf(filters).toString();
  const [met, setMet] = useState<{ key: string; ids: string[] }>({ key, ids: [] });
  const known = met.key === key ? met.ids : [];
  const fresh = [...new Set((page?.unreadable ?? []).map((task) => task.id))].filter((id) => !known.includes(id));
  const ids = fresh.length ? [...known, ...fresh] : known;
  // Kept during render, as React allows for state derived from props: the next render sees it settled.
  if (met.key !== key || fresh.length) setMet({ key, ids });
  return ids;
}
