import { MalformedRequestError, ValidationError, type FieldIssue } from '../../shared/errors.ts';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** A NUL, or half of a UTF-16 surrogate pair: neither is text, and both break stores and mail. */
// eslint-disable-next-line no-control-regex -- finding the NUL is the point
const NOT_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The body's bytes as UTF-8 text; bytes that are not UTF-8 are refused rather than replaced. */
export function decodeUtf8(raw: Buffer): string {
  try {
    return UTF8.decode(raw);
  } catch (error) {
    throw new MalformedRequestError('the body is not valid UTF-8', { cause: error });
  }
}

/**
 * How deep a body may nest: the API's deepest body (a task's notice and its repeat inside) is
 * four levels. JSON.parse takes any depth, but a walk over it (this one, the schema's) recurses:
 * 20,000 levels, 40 KB of brackets, would overflow the stack and be answered 500.
 */
const MAX_DEPTH = 32;

/**
 * Refuses a parsed body whose strings hold a NUL or a lone surrogate, naming each field, and one
 * nested deeper than MAX_DEPTH (malformed: no route takes it).
 */
export function refuseNonText(value: unknown): void {
  const issues: FieldIssue[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (path.length > MAX_DEPTH) throw new MalformedRequestError(`the body is nested deeper than ${MAX_DEPTH} levels`);
    if (typeof node === 'string') {
      if (NOT_TEXT.test(node))
        issues.push({ field: path.join('.') || '(body)', rule: 'text', message: 'must be text: no NUL character and no lone surrogate' });
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, String(i)]));
    } else if (node && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) walk(item, [...path, key]);
    }
  };
  walk(value, []);
  if (issues.length) throw new ValidationError(issues);
}
