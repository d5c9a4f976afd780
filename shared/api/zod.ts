import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';

// `.openapi(...)` on every schema: names components and examples in /openapi.json.
// The namespace import keeps zod's locales out of the bundle (see MEASURED.md).
// zod 4 gives a schema its methods when it is made, so one made before this line ran has no
// `.openapi`: a schema from shared/domain (which does not load this extension) may be, as
// modules load in import order. Such a member is documented with zod's own `.meta(...)`,
// which the generator reads as well, and named as a component through a copy
// (`z.object(Domain.shape).openapi('Name')`).
extendZodWithOpenApi(z);

export { z };

/** A zod custom issue that carries its rule name into the problem+json `errors` list. */
export function rule(name: string, message: string) {
  return { error: message, params: { rule: name } };
}
