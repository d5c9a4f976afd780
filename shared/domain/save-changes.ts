import type { Notice, Occurrence, Task } from './model.ts';
import { sameContent } from './same-content.ts';

/**
 * What a save changes, so that it writes and calls only that.
 *
 * A client may send a task back without its notices' ids (a form that never kept them, a
 * script that copies the fields it shows). Each such notice takes the id of a stored notice
 * that says exactly the same and that no other notice of the save claims: its occurrences
 * keep their schedule names (schedule-names.ts), so no schedule is replaced, and its delivery
 * history stays tied to it. Notices that name their id keep it and are matched first; a notice
 * with nothing equal among the stored ones is new and gets a new id later.
 */
export function matchStoredNoticeIds<N extends { id?: string | undefined }>(notices: readonly N[], stored: readonly Notice[]): N[] {
  const claimed = new Set(notices.flatMap((n) => (n.id ? [n.id] : [])));
  const free = stored.filter((n) => !claimed.has(n.id));
  return notices.map((notice) => {
    if (notice.id) return notice;
    const index = free.findIndex((candidate) => sameContent({ ...candidate, id: undefined }, { ...notice, id: undefined }));
    if (index < 0) return notice;
    const [match] = free.splice(index, 1);
    return { ...notice, id: match!.id };
  });
}

/**
 * Whether saving `next` over `current` would change nothing but its stamps (version, time of
 * the save, time of planning, which save wrote a schedule): then the save writes nothing and
 * calls no Scheduler. An occurrence that is not scheduled counts the same whether it is past
 * or stopped: neither has a schedule, and a completed task saved again later would otherwise
 * see its stopped notices turn past.
 */
export function changesNothing(current: Task, next: Task): boolean {
  return sameContent(content(current), content(next));
}

function content(task: Task): object {
  const { version: _version, updatedAt: _updatedAt, plan, ...rest } = task;
  const { plannedAt: _plannedAt, occurrences, ...rules } = plan;
  return { ...rest, plan: { ...rules, occurrences: occurrences.map(occurrenceContent) } };
}

function occurrenceContent(occurrence: Occurrence): object {
  const { planVersion: _planVersion, state, ...rest } = occurrence;
  return { ...rest, scheduled: state === 'scheduled' };
}
