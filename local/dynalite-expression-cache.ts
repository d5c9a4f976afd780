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

/**
 * Longer keys are parsed each time, not kept: an expression over 4 KB is refused before it gets
 * here (dynalite-expression-size.ts, as DynamoDB refuses it), and a caller's names and types add
 * less than as much again. Kept, a longer one (one refused for the thousands of names it gave and
 * did not use) would hold its length up to KEPT times.
 */
const LONGEST_KEY = 8192;

/** Expressions whose parse looks into a value, not only its type. */
const READS_VALUES = /between|attribute_type/i;

interface Kept {
  /** The parse with a Slot for each value: kept, it holds no request's values (up to 400 KB each). */
  result: unknown;
  usedNames: string[];
  usedValues: string[];
}

/** Where a kept parse had a value: the name of the value that each request binds there. */
class Slot {
  constructor(readonly name: string) {}
}

function reusing(parse: Parse): Parse {
  const kept = new Map<string, Kept>();
  return (input, options) => {
    const context = options.context;
    if (READS_VALUES.test(input)) return parse(input, options);
    const key = keyOf(input, context);
    if (key.length > LONGEST_KEY) return parse(input, options);
    let found = kept.get(key);
    if (found) expressionParses.reused += 1;
    else {
      expressionParses.run += 1;
      // Parsed against full sets of names and values, so what it uses is known whatever an
      // earlier expression of the same request has used already.
      const names = Object.assign(Object.create(null), context.attrNames) as Record<string, unknown>;
      const values = Object.assign(Object.create(null), context.attrVals) as Record<string, unknown>;
      const result = parse(input, { context: { ...context, unusedAttrNames: names, unusedAttrVals: values } });
      const slots = new Map(Object.entries(context.attrVals ?? {}).map(([name, value]) => [value as unknown, new Slot(name)]));
      found = {
        result: copied(result, (node) => slots.get(node)),
        usedNames: Object.keys(context.attrNames ?? {}).filter((name) => !(name in names)),
        usedValues: Object.keys(context.attrVals ?? {}).filter((name) => !(name in values)),
      };
      if (kept.size >= KEPT) kept.clear();
      kept.set(key, found);
    }
    for (const name of found.usedNames) delete context.unusedAttrNames?.[name];
    for (const name of found.usedValues) delete context.unusedAttrVals?.[name];
    const values = context.attrVals ?? {};
    return copied(found.result, (node) => (node instanceof Slot ? values[node.name] : undefined));
  };
}

/** The expression, its parser's mode, the names as given and each value's type. */
function keyOf(input: string, context: ParseContext): string {
  const types = Object.entries(context.attrVals ?? {}).map(([name, value]) => `${name}:${Object.keys(value ?? {}).join('')}`);
  return `${context.isKeyCondition ? 'K' : ''}\u0000${input}\u0000${JSON.stringify(context.attrNames ?? {})}\u0000${types.join(',')}`;
}

/** A copy of a parse, each object for which `replacing` answers replaced by its answer (and not copied). */
function copied(node: unknown, replacing: (node: object) => unknown): unknown {
  if (node === null || typeof node !== 'object') return node;
  const replaced = replacing(node);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(node)) return node.map((child) => copied(child, replacing));
  const copy = Object.create(Object.getPrototypeOf(node) as object | null) as Record<string, unknown>;
  for (const [field, child] of Object.entries(node)) copy[field] = copied(child, replacing);
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
