/** A form's text inputs: empty means "not set". */
export type TextValues<K extends string> = Record<K, string>;

/** Stored text members as the form shows them: absent is empty. */
export function textValues<K extends string>(keys: readonly K[], stored: Partial<Record<K, string>> | undefined): TextValues<K> {
  return Object.fromEntries(keys.map((key) => [key, stored?.[key] ?? ''])) as TextValues<K>;
}

/** The members that have a text (a body for PUT rules: empty inputs left out). */
export function filledValues<K extends string>(values: TextValues<K>): Partial<Record<K, string>> {
  return Object.fromEntries(Object.entries<string>(values).filter(([, value]) => value.trim() !== '')) as Partial<Record<K, string>>;
}

/**
 * The merge patch (RFC 7396) of text members: each one whose input differs from the stored
 * value, emptied ones as `null` (removed); undefined when nothing changed.
 */
export function textPatch<K extends string>(
  stored: Partial<Record<K, string>> | undefined,
  values: TextValues<K>,
): Partial<Record<K, string | null>> | undefined {
  const patch: Partial<Record<K, string | null>> = {};
  for (const key of Object.keys(values) as K[]) {
    const value = values[key].trim();
    if (value === (stored?.[key] ?? '')) continue;
    patch[key] = value === '' ? null : value;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}
