/**
 * The register's filters and page live in the URL (`?status=open&customerId=...&cursor=...`),
 * so a reload, a bookmark or the back button shows the same list. Names follow GET /tasks.
 */
export interface TaskFilters {
  status?: 'open' | 'completed';
  customerId?: string;
  deadlineFrom?: string;
  deadlineTo?: string;
  hasNotices?: 'true' | 'false';
}

export const FILTER_NAMES = ['status', 'customerId', 'deadlineFrom', 'deadlineTo', 'hasNotices'] as const;

export function filtersFrom(params: URLSearchParams): TaskFilters {
  const status = params.get('status');
  const hasNotices = params.get('hasNotices');
  const customerId = params.get('customerId');
  const deadlineFrom = params.get('deadlineFrom');
  const deadlineTo = params.get('deadlineTo');
  return {
    ...(status === 'open' || status === 'completed' ? { status } : {}),
    ...(customerId ? { customerId } : {}),
    // A date the user typed that is none stays, so its field says so and the API refuses it.
    ...(deadlineFrom ? { deadlineFrom } : {}),
    ...(deadlineTo ? { deadlineTo } : {}),
    ...(hasNotices === 'true' || hasNotices === 'false' ? { hasNotices } : {}),
  };
}

export function hasAnyFilter(filters: TaskFilters): boolean {
  return FILTER_NAMES.some((name) => filters[name] !== undefined);
}

/** The URL's query for filters and a page cursor (none: the first page). */
export function searchOf(filters: TaskFilters, cursor?: string): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  if (cursor) params.set('cursor', cursor);
  return params;
}

/** The register's filters handed to the templates list, marked as an apply (`apply=1`): its links then lead to applying the template. */
export function applySearchOf(filters: TaskFilters): URLSearchParams {
  const params = searchOf(filters);
  params.set('apply', '1');
  return params;
}

/** The cursors of the pages before this one, kept in the history entry (not the URL), for "previous page". */
export interface PageHistory {
  previous: string[];
}

export function pageHistoryOf(state: unknown): PageHistory | undefined {
  const previous = (state as Partial<PageHistory> | null)?.previous;
  return Array.isArray(previous) && previous.every((c) => typeof c === 'string') ? { previous } : undefined;
}
