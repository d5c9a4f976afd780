/*
 * Plain checks of untrusted values, for what a function checks at cold start or per message
 * without loading zod: the configuration (shared/config.ts) and dispatch's message
 * (shared/api/dispatch-event.schema.ts). Building zod schemas and running zod's constructors
 * for the first time was the largest part of dispatch's cold start that is Frist's own
 * (docs/decisions.md, "Cold start: plain checks of the configuration and the message").
 * The problems carry the codes and English messages zod gives for the same failures, so
 * logs and errors read as they did.
 */

/** What is wrong with a value: zod's issue code and message, and where inside the value. */
export interface Problem {
  path: (string | number)[];
  code: string;
  message: string;
}

/** Thrown by a check: every problem it found. */
export class Invalid extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => p.message).join('; '));
  }
}

/** A check of one value: the value as the program reads it, or `Invalid`. */
export type Check<T> = (input: unknown) => T;

export function problem(code: string, message: string, path: (string | number)[] = []): Invalid {
  return new Invalid([{ path, code, message }]);
}

/** The name of a value's type as zod's messages give it ("received undefined"). */
function typeName(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number' && !Number.isFinite(input)) return String(input);
  return typeof input;
}

export function wrongType(expected: string, input: unknown): Invalid {
  return problem('invalid_type', `Invalid input: expected ${expected}, received ${typeName(input)}`);
}

/** A string, of `min` to `max` characters. */
export function string({ min = 0, max = Infinity } = {}): Check<string> {
  return (input) => {
    if (typeof input !== 'string') throw wrongType('string', input);
    if (input.length < min) throw problem('too_small', `Too small: expected string to have >=${min} characters`);
    if (input.length > max) throw problem('too_big', `Too big: expected string to have <=${max} characters`);
    return input;
  };
}

/** A string that matches `pattern`; `message` in place of the generic one. */
export function matching(pattern: RegExp, message = `Invalid string: must match pattern ${String(pattern)}`): Check<string> {
  const isString = string();
  return (input) => {
    const text = isString(input);
    if (!pattern.test(text)) throw problem('invalid_format', message);
    return text;
  };
}

/** One of `values`. */
export function oneOf<const T extends string>(values: readonly T[]): Check<T> {
  return (input) => {
    if (!values.includes(input as T)) throw problem('invalid_value', `Invalid option: expected one of ${values.map((v) => JSON.stringify(v)).join('|')}`);
    return input as T;
  };
}

/** A whole number within [min, max]; outside the safe integers a problem of its own, as zod's `int`. */
export function integer(min = -Infinity, max = Infinity): Check<number> {
  return (input) => {
    if (typeof input !== 'number' || !Number.isFinite(input)) throw wrongType('number', input);
    if (!Number.isInteger(input)) throw wrongType('int', input);
    const problems: Problem[] = [];
    if (input > Number.MAX_SAFE_INTEGER) problems.push({ path: [], code: 'too_big', message: `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}` });
    if (input < Number.MIN_SAFE_INTEGER) problems.push({ path: [], code: 'too_small', message: `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}` });
    if (input < min) problems.push({ path: [], code: 'too_small', message: `Too small: expected number to be >=${min}` });
    if (input > max) problems.push({ path: [], code: 'too_big', message: `Too big: expected number to be <=${max}` });
    if (problems.length) throw new Invalid(problems);
    return input;
  };
}

/**
 * A whole number within [min, max], from text, as JavaScript reads a number (`Number()`:
 * surrounding blanks ignored, `0x10` 16, `1e3` 1000, `-0` 0). A blank text, which `Number()`
 * reads as 0, is refused: a variable set to nothing is a mistake, not a zero, as it is for every
 * other kind of variable (docs/decisions.md, "Blank is not zero").
 */
export function integerText(min: number, max: number): Check<number> {
  const isString = string();
  const inRange = integer(min, max);
  return (input) => {
    const text = isString(input);
    // trim() drops the very blanks and line breaks Number() skips, so this is every text it reads as 0 for want of digits.
    if (text.trim() === '') throw problem('invalid_type', `Invalid input: expected int from ${min} to ${max}, received blank string`);
    // `+ 0` turns -0 into 0: no negative zero is handed on.
    return inRange(Number(text)) + 0;
  };
}

/** `undefined` as it is, anything else checked. */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (input) => (input === undefined ? undefined : check(input));
}

/** `value` for `undefined` (not checked, as zod's defaults are not), anything else checked. */
export function withDefault<T>(check: Check<T>, value: T): Check<T> {
  return (input) => (input === undefined ? value : check(input));
}

/**
 * Every check's problems, in order: the first's value (a URL trimmed, say) is what the others
 * check; when the first fails, they check the input as it is (zod's checks of a string
 * format go on after a failed one).
 */
export function every<T>(first: Check<T>, ...more: Check<unknown>[]): Check<T> {
  return (input) => {
    let value = input as T;
    const problems = [...problemsOf(() => (value = first(input))), ...more.flatMap((check) => problemsOf(() => check(value)))];
    if (problems.length) throw new Invalid(problems);
    return value;
  };
}

/** The problems of running `check`: none when it passes; anything but `Invalid` is a bug and thrown. */
export function problemsOf(check: () => unknown, path: (string | number)[] = []): Problem[] {
  try {
    check();
    return [];
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    return error.problems.map((p) => ({ ...p, path: [...path, ...p.path] }));
  }
}

export type Shape = Record<string, Check<unknown>>;
export type Checked<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };
export type Parsed<T> = { success: true; data: T } | { success: false; issues: Problem[] };

/** The named members of `input`, each checked by its own check; every member's problems, each with its name in front of its path. */
export function members<S extends Shape>(shape: S, input: Record<string, unknown>): Parsed<Checked<S>> {
  const data: Record<string, unknown> = {};
  const issues: Problem[] = [];
  for (const [name, check] of Object.entries(shape)) {
    issues.push(
      ...problemsOf(() => {
        const value = check(input[name]);
        // An optional member the input leaves out stays out, as zod leaves it.
        if (value !== undefined || Object.hasOwn(input, name)) data[name] = value;
      }, [name]),
    );
  }
  return issues.length ? { success: false, issues } : { success: true, data: data as Checked<S> };
}

/** An object with exactly the members of `shape` (zod's `strictObject`): another member is a problem. */
export function strictObject<S extends Shape>(shape: S): (input: unknown) => Parsed<Checked<S>> {
  return (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return { success: false, issues: wrongType('object', input).problems };
    const parsed = members(shape, input as Record<string, unknown>);
    const unknown = Object.keys(input).filter((key) => !Object.hasOwn(shape, key));
    if (!unknown.length) return parsed;
    const issue = {
      path: [],
      code: 'unrecognized_keys',
      message: `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => JSON.stringify(k)).join(', ')}`,
    };
    return { success: false, issues: [...(parsed.success ? [] : parsed.issues), issue] };
  };
}
