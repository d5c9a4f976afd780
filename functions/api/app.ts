import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { Telemetry } from '../../shared/composition.ts';
import { Id, IdempotencyKey } from '../../shared/api/common.schemas.ts';
import { parseOrThrow } from '../../shared/api/zod-issues.ts';
import { refuseNonText } from '../http/text-guard.ts';
import { NotFoundError, UnauthorizedError, ValidationError } from '../../shared/errors.ts';
import type { Ports } from '../../shared/ports.ts';
import { headerOf, jsonBody, type ParsedEvent } from '../http/json-body.ts';
import { requestHash, type Idempotency } from '../../shared/use-cases/idempotent-create.ts';
import { problemErrors } from '../http/problem-errors.ts';
import { json, noContent, type HttpResponse } from '../http/responses.ts';
import { DOCS_ROUTES } from './docs-page.ts';
import { routeMiss } from './method-not-allowed.ts';
import { APPLY_BODY, IMPORT_BODY } from './large-bodies.ts';
import { isResponse, type Route } from './route.ts';
import { ROUTE_GROUPS, routeGroupOf } from './route-groups.ts';

export interface ApiOptions {
  /** The JWT claim that names the tenant. */
  tenantClaim: string;
  maxBodyBytes: number;
}

const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The tenant comes from the claims API Gateway's JWT authorizer verified (locally, the
 * adapter's identical check); never from the path, query or body.
 */
function tenantOf(event: APIGatewayProxyEventV2, claim: string): string {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
  const tenant = claims?.[claim];
  if (typeof tenant !== 'string' || !TENANT_ID.test(tenant)) {
    throw new UnauthorizedError(`the token carries no valid ${claim} claim`);
  }
  return tenant;
}

function toHandler(route: Route, ports: Ports, options: ApiOptions) {
  return async (event: ParsedEvent) => {
    const tenantId = route.public ? '' : tenantOf(event as APIGatewayProxyEventV2, options.tenantClaim);
    const params = (event.pathParameters ?? {}) as Record<string, string>;
    // An id that could never exist is simply not found: 404 whatever its shape.
    for (const [name, value] of Object.entries(params)) {
      if (!Id.safeParse(value).success) throw new NotFoundError(`no such ${name}`);
    }
    refuseRepeated(event.rawQueryString);
    refuseNonText(event.queryStringParameters ?? {});
    const query = route.query ? parseOrThrow(route.query, event.queryStringParameters ?? {}) : undefined;
    if (!route.body && event.body !== undefined) throw ValidationError.of('(body)', 'no-body', 'this route takes no body');
    const body = route.body ? parseOrThrow(route.body, event.body ?? {}) : undefined;
    const idempotency = route.idempotent ? idempotencyOf(event, body) : undefined;
    const result = await route.run({ ports, tenantId, params, query, body, apiOrigin: apiOriginOf(event), ...(idempotency ? { idempotency } : {}) });
    if (isResponse(result)) return result;
    return route.status === 204 ? noContent() : json(route.status, result);
  };
}

/**
 * The origin the caller reached the API at: API Gateway names its domain in the request
 * context and the scheme in `X-Forwarded-Proto` (always https on AWS; the local adapter
 * says http).
 */
function apiOriginOf(event: ParsedEvent): string {
  return `${headerOf(event, 'x-forwarded-proto') ?? 'https'}://${event.requestContext.domainName}`;
}

/**
 * API Gateway joins a repeated query parameter's values with commas (payload 2.0), so
 * `namePrefix=a&namePrefix=b` would be read as `a,b`: each parameter is taken once, or refused.
 */
function refuseRepeated(rawQuery: string | undefined): void {
  const names = [...new URLSearchParams(rawQuery ?? '').keys()];
  const repeated = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
  if (repeated.length) throw new ValidationError(repeated.map((field) => ({ field, rule: 'repeated', message: 'must be given once' })));
}

function idempotencyOf(event: ParsedEvent, body: unknown): Idempotency | undefined {
  const key = headerOf(event, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!IdempotencyKey.safeParse(key).success) throw ValidationError.of('Idempotency-Key', 'pattern', 'must be 1-64 of A-Z a-z 0-9 _ -');
  return { key, requestHash: requestHash(body) };
}

/** A route outside the table (the document, the reference page and its files): GET, no token, no body. */
function publicGet(path: string, respond: (event: ParsedEvent) => Promise<HttpResponse>) {
  return {
    method: 'GET' as const,
    path,
    handler: async (event: ParsedEvent) => {
      if (event.body !== undefined) throw ValidationError.of('(body)', 'no-body', 'this route takes no body');
      return respond(event);
    },
  };
}

/** A middy router over `routes`, answering 404 or 405 for a request none of them takes. */
function routerOver(routes: { method: string; path: string; handler: (event: ParsedEvent) => Promise<HttpResponse> }[]) {
  return httpRouterHandler({ routes: routes as never, notFoundResponse: routeMiss(routes) }) as unknown as (
    event: ParsedEvent,
    context: Context,
  ) => Promise<HttpResponse>;
}

/**
 * The api Lambda: the invocation's context on every log line, metrics flushed after each
 * request (its ports can count), error mapping, JSON body parsing, then the router of the
 * request's route group (route-groups.ts), loaded on its first request; /openapi.json and the
 * reference page have their own.
 */
export function createApiHandler(ports: Ports, telemetry: Telemetry, options: ApiOptions) {
  // Built on first request, not at cold start: most invocations never ask for it.
  let openapi: Promise<Record<string, unknown>> | undefined;
  const openApiDocument = async () => {
    const [{ buildOpenApiDocument }, { ROUTES }] = await Promise.all([import('./openapi.ts'), import('./routes.ts')]);
    return buildOpenApiDocument(ROUTES);
  };
  const outsideTable = routerOver([
    publicGet('/openapi.json', async () => json(200, await (openapi ??= openApiDocument()))),
    ...DOCS_ROUTES.map((r) => publicGet(r.path, r.respond)),
  ]);
  const groups = new Map<string, Promise<ReturnType<typeof routerOver>>>();
  const groupRouter = (group: string) => {
    let router = groups.get(group);
    if (!router) {
      router = ROUTE_GROUPS[group]!().then((routes) =>
        routerOver(routes.map((r) => ({ method: r.method, path: r.path, handler: toHandler(r, ports, options) }))),
      );
      groups.set(group, router);
    }
    return router;
  };
  const route = async (event: ParsedEvent, context: Context) => {
    const group = routeGroupOf(event.requestContext.http.path);
    return group ? (await groupRouter(group))(event, context) : outsideTable(event, context);
  };
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context>()
    .use(injectLambdaContext(telemetry.logger))
    .use(logMetrics(telemetry.metrics))
    .use(problemErrors(telemetry.logger))
    .use(jsonBody({ maxBytes: options.maxBodyBytes, larger: [APPLY_BODY, IMPORT_BODY] }))
    .handler(route);
}
