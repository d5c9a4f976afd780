import type { components } from './schema.d.ts';

export type Problem = components['schemas']['Problem'];
export type FieldError = NonNullable<Problem['errors']>[number];

/** The problem type of a task whose stored item is damaged (docs/api.md, 500). */
const STORED_TASK_UNREADABLE = 'https://frist.dev/problems/stored-task-unreadable';

/**
 * An answer other than 2xx, with its RFC 9457 problem details when the API sent them (the
 * gateway's own 401 has none). Hooks throw it; screens read `status`, `fieldErrors`, `isConflict`.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, body: unknown) {
    const problem = isProblem(body) ? body : undefined;
    super(problem ? `${problem.status} ${problem.title}` : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }

  get fieldErrors(): FieldError[] {
    return this.problem?.errors ?? [];
  }

  /** A task stored in a form the service cannot read: kept for the operator, and no retry cures it. */
  get isStoredTaskUnreadable(): boolean {
    return this.problem?.type === STORED_TASK_UNREADABLE;
  }

  /** A stale version (or a delete of something changed since it was read): reload, then reapply. */
  get isConflict(): boolean {
    return this.status === 409;
  }
}

/** The request never got an answer (offline, DNS, CORS refused). */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

function isProblem(body: unknown): body is Problem {
  const value = body as Partial<Problem> | null;
  return typeof value === 'object' && value !== null && typeof value.status === 'number' && typeof value.title === 'string';
}
