import type * as z from 'zod';
import { parseOrThrow } from '../../shared/api/zod-issues.ts';
import { ConflictError } from '../../shared/errors.ts';
import { applyMergePatch } from '../http/merge-patch.ts';
import type { Route, RouteInput } from './route.ts';

/**
 * The PATCH twin of a PUT route (RFC 7396 merge patch), so that a screen that changes one
 * field does not have to send, and so cannot lose, the others:
 * 1. Read the stored item as the PUT would send it (`stored`) and refuse a stale version
 *    with 409 before anything else: a patch is only meaningful on the item it was made for.
 * 2. Apply the patch, and parse the result with the PUT's own schema: every rule holds for
 *    the merged item, and errors name its fields.
 * 3. Save it through the PUT's use case, which checks the version again in its write.
 */
export function mergePatchRoute(
  put: Route,
  patch: {
    summary: string;
    schema: z.ZodType<{ version: number }>;
    /** How the 409 names the item: `the task`. */
    item: string;
    stored: (input: RouteInput<unknown, unknown>) => Promise<{ version: number }>;
    /** Paths of write-only members, which `stored` cannot show (see applyMergePatch). */
    writeOnly?: string[][];
  },
): Route {
  return {
    ...put,
    method: 'PATCH',
    summary: patch.summary,
    body: patch.schema,
    run: async (input) => {
      const { version } = input.body as { version: number };
      const stored = await patch.stored(input);
      if (stored.version !== version) {
        throw new ConflictError(`${patch.item} is at version ${stored.version}, not ${version}; read it again and make your patch against it`);
      }
      const merged = parseOrThrow(put.body!, applyMergePatch(stored, input.body, patch.writeOnly));
      return put.run({ ...input, body: merged });
    },
  };
}
