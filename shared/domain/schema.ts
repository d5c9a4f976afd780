/**
 * Builds a zod schema where it is declared, in a call marked pure at the call site
 * (`export const X = <the @__PURE__ comment> schema(() => z.object(...))`), so esbuild leaves
 * it out of a bundle in which nothing uses `X`. Declared bare, a schema is built at cold start
 * by every function that imports its module, even for one constant, helper or type: zod's
 * chained methods (`.optional()`, `.min(1)`) look like side effects to a bundler. Dispatch
 * built the webhook, job and template schemas it never parses with. esbuild honours the
 * annotation at a call, not on a declaration in another module, hence one at each schema.
 * The build is eager: a schema that is used behaves as if declared bare.
 */
export function schema<T>(build: () => T): T {
  return build();
}
