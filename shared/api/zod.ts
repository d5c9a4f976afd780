import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';

// `.openapi(...)` on every schema: names components and examples in /openapi.json.
// The namespace import keeps zod's locales out of the bundle (see MEASURED.md).
extendZodWithOpenApi(z);

export { z };

/** A zod custom issue that carries its rule name into the problem+json `errors` list. */
export function rule(name: string, message: string) {
  return { error: message, params: { rule: name } };
}
