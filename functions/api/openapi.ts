import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { IdempotencyKey } from '../../shared/api/common.schemas.ts';
import * as z from '../../shared/api/zod.ts';
import { bodyMediaType } from '../http/json-body.ts';
import { operationIdOf, refusalsOf } from './openapi-refusals.ts';
import type { Route } from './route.ts';

const DESCRIPTION = [
  'Automatic notices about task deadlines, by e-mail and SMS. Errors are RFC 9457 problem details,',
  "except the refusals API Gateway makes itself (the JWT authorizer's 401).",
  'A method a path does not take is answered 405 with the methods it takes in `Allow`.',
  'The page `/docs` beside this document renders it.',
].join(' ');

/** OpenAPI 3.1 for the route table: every route with its parameters, body, responses and refusals. */
export function buildOpenApiDocument(routes: readonly Route[]): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A JWT whose tenant claim names the firm.',
  });
  for (const r of routes) {
    const pathParams = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const mediaType = bodyMediaType(r.method);
    registry.registerPath({
      method: r.method.toLowerCase() as 'get',
      path: r.path,
      operationId: operationIdOf(r.method, r.path),
      summary: r.summary,
      tags: [r.tag],
      security: r.public ? [] : [{ [bearer.name]: [] }],
      request: {
        ...(pathParams.length ? { params: z.object(Object.fromEntries(pathParams.map((p) => [p, z.string()]))) } : {}),
        ...(r.query ? { query: r.query as never } : {}),
        ...(r.idempotent ? { headers: z.object({ 'Idempotency-Key': IdempotencyKey.optional() }) } : {}),
        ...(r.body ? { body: { required: true, content: { [mediaType]: { schema: r.body } } } } : {}),
      },
      responses: {
        [r.status]: {
          description: r.status === 204 ? 'Done' : r.status === 202 ? 'Accepted: it goes on in the background' : 'OK',
          ...(r.response || r.rawResponseTypes
            ? {
                content: {
                  ...Object.fromEntries(
                    (r.rawResponseTypes ?? []).map((type) => [type, { schema: z.string().openapi({ description: 'The bytes as filed' }) }]),
                  ),
                  ...(r.response ? { 'application/json': { schema: r.response } } : {}),
                },
              }
            : {}),
        },
        ...refusalsOf(r, mediaType),
      },
    });
  }
  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    operationId: operationIdOf('GET', '/openapi.json'),
    summary: 'This document',
    tags: ['meta'],
    security: [],
    responses: {
      200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: z.object({}).passthrough() } } },
      ...refusalsOf({ public: true }),
    },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Frist',
      version: '1',
      description: DESCRIPTION,
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    // Relative: the document is served at the API's root, whatever the stage's URL.
    servers: [{ url: '/', description: 'The API that serves this document' }],
  }) as unknown as Record<string, unknown>;
}
