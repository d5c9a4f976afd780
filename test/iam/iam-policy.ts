/** A statement of an identity policy, its Action and Resource as lists of plain strings. */
export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** What one call needs IAM to allow: an action on a resource, with the request's condition keys. */
export interface Need {
  action: string;
  resource: string;
  context?: Record<string, string>;
}

/** IAM's wildcards: `*` any run of characters (`/` and `:` too), `?` any one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

/**
 * IAM's decision for one need, as far as identity policies go: some Allow statement matches
 * action (case-insensitively), resource and conditions, and no Deny statement does.
 */
export function allows(statements: Statement[], need: Need): boolean {
  const applies = (s: Statement) =>
    s.Action.some((action) => wildcardMatch(action, need.action, true)) &&
    s.Resource.some((resource) => wildcardMatch(resource, need.resource)) &&
    conditionsHold(s.Condition, need.context ?? {});
  return statements.some((s) => s.Effect === 'Allow' && applies(s)) && !statements.some((s) => s.Effect === 'Deny' && applies(s));
}

/** The condition operators Frist's roles use; any other stops the check rather than guess. */
const OPERATORS: Record<string, (pattern: string, value: string) => boolean> = {
  StringEquals: (pattern, value) => pattern === value,
  StringLike: (pattern, value) => wildcardMatch(pattern, value),
};

function conditionsHold(condition: Statement['Condition'], context: Record<string, string>): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) => {
    const test = OPERATORS[operator];
    if (!test) throw new Error(`the roles check cannot evaluate the condition operator ${operator}: teach test/iam/iam-policy.ts`);
    // A key the request does not carry makes the condition false, as in IAM.
    return Object.entries(keys).every(([key, patterns]) => {
      const value = context[key];
      return value !== undefined && [patterns].flat().some((pattern) => test(pattern, value));
    });
  });
}
