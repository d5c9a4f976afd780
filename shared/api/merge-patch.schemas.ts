import { getOpenApiMetadata } from '@asteasolutions/zod-to-openapi';
import { Version } from './common.schemas.ts';
import * as z from './zod.ts';

/**
 * The schema of an RFC 7396 merge patch of a PUT body: every member optional; `null` allowed
 * where the PUT allows leaving the member out (removing it, or returning it to its default);
 * objects patched member by member; arrays replaced whole. Defaults are dropped, so a patch
 * that leaves a member out keeps the stored value. `version` stays required.
 * It describes the patch (and refuses a wrong type early); the merged result is then parsed
 * with the PUT's own schema, which applies every rule.
 */
export function mergePatchOf(update: z.ZodObject, name: string) {
  return z.strictObject({ ...patchShape(update.shape), version: Version }).openapi(name);
}

function patchShape(shape: z.ZodRawShape): z.ZodRawShape {
  return Object.fromEntries(Object.entries(shape).map(([key, member]) => [key, patchMember(member as z.ZodType)]));
}

function patchMember(member: z.ZodType): z.ZodType {
  const removable = member instanceof z.ZodOptional || member instanceof z.ZodDefault;
  const inner = removable ? (member.unwrap() as z.ZodType) : member;
  const patched = inner instanceof z.ZodObject ? z.strictObject(patchShape(inner.shape)) : inner;
  return (removable ? nullable(patched) : patched).optional();
}

/**
 * `.nullable()`, also in /openapi.json for a transformed string (a phone number written in
 * E.164): OpenAPI cannot see through a transform, so such a schema declares its type, which
 * would otherwise hide the `null`.
 */
function nullable(schema: z.ZodType): z.ZodType {
  const declared: unknown = getOpenApiMetadata(schema).type;
  return typeof declared === 'string' ? schema.nullable().openapi({ type: [declared, 'null'] as never }) : schema.nullable();
}
