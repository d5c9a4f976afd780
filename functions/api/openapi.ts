import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { IdempotencyKey, Problem } from '../../shared/api/common.schemas.ts';
import { z } from '../../shared/api/zod.ts';
import type { Route } from './route.ts';

const REFUSAL_TEXT: Record<number, string> = {
  400: 'Malformed JSON',
  401: 'Missing or invalid bearer token',
  404: 'No such item in your firm',
  409: 'A stale version, or a state that forbids the change',
  413: 'The body is too large',
  415: 'The body is not application/json',
  422: 'A field breaks a rule; `errors` names each field and rule',
  500: 'Our fault; the body says nothing more',
  503: 'A dependency is busy; retry after the Retry-After seconds',
};

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
    const problemContent = { 'application/problem+json': { schema: Problem } };
    const refusals = [
      ...(r.body ? [400, 413, 415] : []),
      ...(r.public ? [] : [401]),
      ...(r.refusals ?? []),
      500,
      503,
    ];
    registry.registerPath({
      method: r.method.toLowerCase() as 'get',
      path: r.path,
      summary: r.summary,
      tags: [r.tag],
      security: r.public ? [] : [{ [bearer.name]: [] }],
      request: {
        ...(pathParams.length ? { params: z.object(Object.fromEntries(pathParams.map((p) => [p, z.string()]))) } : {}),
        ...(r.query ? { query: r.query as never } : {}),
        ...(r.idempotent
          ? {
              headers: z.object({ 'Idempotency-Key': IdempotencyKey.optional() }),
            }
          : {}),
        ...(r.body ? { body: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
      },
      responses: {
        [r.status]: {
          description: r.status === 204 ? 'Done' : 'OK',
          ...(r.response ? { content: { 'application/json': { schema: r.response } } } : {}),
          ...(r.rawResponseTypes
            ? { content: Object.fromEntries(r.rawResponseTypes.map((type) => [type, { schema: z.string().openapi({ format: 'binary' }) }])) }
            : {}),
        },
        ...Object.fromEntries(
          [...new Set(refusals)].map((status) => [status, { description: REFUSAL_TEXT[status] ?? 'Refused', content: problemContent }]),
        ),
      },
    });
  }
  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    tags: ['meta'],
    security: [],
    responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: z.object({}).passthrough() } } } },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Frist',
      version: '1',
      description: 'Automatic notices about task deadlines, by e-mail and SMS. Errors are RFC 9457 problem details.',
    },
  }) as unknown as Record<string, unknown>;
}
