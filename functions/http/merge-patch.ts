/**
 * Applies an RFC 7396 merge patch to a JSON value: a member set to null is removed, an object
 * is merged member by member, anything else (a string, a number, an array) replaces the
 * target's value whole. Neither argument is changed.
 * `writeOnly` lists the paths of members that are never read back (a password), so the
 * target never has them and removing one would remove nothing: their null is kept in the
 * result instead, where a PUT reads it as "remove the stored value".
 */
export function applyMergePatch(target: unknown, patch: unknown, writeOnly: readonly (readonly string[])[] = []): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    const below = writeOnly.filter((path) => path[0] === name).map((path) => path.slice(1));
    if (value === null && below.some((path) => path.length === 0)) setMember(result, name, null);
    else if (value === null) delete result[name];
    else setMember(result, name, applyMergePatch(result[name], value, below));
  }
  return result;
}

/** defineProperty: a member named __proto__ stays a member and never sets the prototype. */
function setMember(object: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
