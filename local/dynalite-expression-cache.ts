import conditionParser from 'dynalite/db/conditionParser.js';
import projectionParser from 'dynalite/db/projectionParser.js';
import updateParser from 'dynalite/db/updateParser.js';

/**
 * dynalite parses every expression of every request with a generated PEG parser: a third of
 * the stand-in's CPU under dispatch went to parsing the same claim condition and `sent`
 * update again and again. DynamoDB's parsing is the service's, not the caller's; here it
 * shares the caller's cores and made the benchmarks measure the stand-in. So a parse is kept
 * and reused for the next request with the same expression, the same attribute names and
 * values of the same types, its values bound afresh: what the parser answers depends on no
 * more than that (it checks the values' types; the two checks that look into a value,
 * BETWEEN's bounds and attribute_type's name, keep those expressions out of the cache). What
 * a request gets back is its own copy, its errors and its unused names and values exactly as
 * a fresh parse gives them. Installed once, for every dynalite in the process.
 */
export function reuseExpressionParses(): void {
  if (installed) return;
  installed = true;
  for (const parser of [conditionParser, updateParser, projectionParser]) parser.parse = reusing(parser.parse);
}

let installed = false;

/** How many parses were run and how many reused since the process started (what the tests look at). */
export const expressionParses = { run: 0, reused: 0 };

/** At most this many parses kept per parser: a process's expressions are a few hundred. */
const KEPT = 2000;

/** Expressions whose parse looks into a value, not only its type. */
const READS_VALUES = /between|attribute_type/i;

interface Kept {
  result: unknown;
  /** The values as bound in `result`, by name. */
  values: Map<unknown, string>;
  usedNames: string[];
  usedValues: string[];
}

function reusing(parse: Parse): Parse {
  const kept = new Map<string, Kept>();
  return (input, options) => {
    const context = options.context;
    if (READS_VALUES.test(input)) return parse(input, options);
    const key = keyOf(input, context);
    let found = kept.get(key);
    if (found) expressionParses.reused += 1;
    else {
      expressionParses.run += 1;
      // Parsed against full sets of names and values, so what it uses is known whatever an
      // earlier expression of the same request has used already.
      const names = Object.assign(Object.create(null), context.attrNames) as Record<string, unknown>;
      const values = Object.assign(Object.create(null), context.attrVals) as Record<string, unknown>;
      const result = parse(input, { context: { ...context, unusedAttrNames: names, unusedAttrVals: values } });
      found = {
        result,
        values: new Map(Object.entries(context.attrVals ?? {}).map(([name, value]) => [value, name])),
        usedNames: Object.keys(context.attrNames ?? {}).filter((name) => !(name in names)),
        usedValues: Object.keys(context.attrVals ?? {}).filter((name) => !(name in values)),
      };
      if (kept.size >= KEPT) kept.clear();
      kept.set(key, found);
    }
    for (const name of found.usedNames) delete context.unusedAttrNames?.[name];
    for (const name of found.usedValues) delete context.unusedAttrVals?.[name];
    return rebound(found.result, found.values, context.attrVals ?? {});
  };
}

/** The expression, its parser's mode, the names as given and each value's type. */
function keyOf(input: string, context: ParseContext): string {
  const types = Object.entries(context.attrVals ?? {}).map(([name, value]) => `${name}:${Object.keys(value ?? {}).join('')}`);
  return `${context.isKeyCondition ? 'K' : ''}\u0000${input}\u0000${JSON.stringify(context.attrNames ?? {})}\u0000${types.join(',')}`;
}

/** A copy of `node` with each value that `values` names replaced by the request's own value of that name. */
function rebound(node: unknown, values: Map<unknown, string>, now: Record<string, unknown>): unknown {
  if (node === null || typeof node !== 'object') return node;
  const name = values.get(node);
  if (name !== undefined) return now[name];
  if (Array.isArray(node)) return node.map((child) => rebound(child, values, now));
  const copy = Object.create(Object.getPrototypeOf(node) as object | null) as Record<string, unknown>;
  for (const [field, child] of Object.entries(node)) copy[field] = rebound(child, values, now);
  return copy;
}

interface ParseContext {
  attrNames?: Record<string, string>;
  attrVals?: Record<string, Record<string, unknown>>;
  unusedAttrNames?: Record<string, unknown>;
  unusedAttrVals?: Record<string, unknown>;
  isKeyCondition?: boolean;
}
type Parse = (input: string, options: { context: ParseContext }) => unknown;
