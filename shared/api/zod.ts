import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import type * as zod from 'zod';
import { ZodType } from 'zod';

// `.openapi(...)` on every schema: names components and examples in /openapi.json.
// The extension needs only `ZodType` (it adds the method to its prototype): handing it the
// whole namespace as a value would keep every part of zod in the bundle, its 40-odd error
// message locales (about 250 KB) among them. For the same reason this module re-exports zod
// (`import * as z from './zod.ts'`) rather than exporting the namespace as an object.
// zod 4 gives a schema its methods when it is made, so one made before this line ran has no
// `.openapi`: a schema from shared/domain (which does not load this extension) may be, as
// modules load in import order. Such a member is documented with zod's own `.meta(...)`,
// which the generator reads as well, and named as a component through a copy
// (`z.object(Domain.shape).openapi('Name')`).
extendZodWithOpenApi({ ZodType } as unknown as typeof zod);

export * from 'zod';

/** A zod custom issue that carries its rule name into the problem+json `errors` list. */
export function rule(name: string, message: string) {
  return { error: message, params: { rule: name } };
}
