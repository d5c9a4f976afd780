import { API_FUNCTION } from '../../shared/api-function.ts';
import { Problem } from '../../shared/api/common.schemas.ts';
import * as z from '../../shared/api/zod.ts';
import type { Route } from './route.ts';

const REFUSAL_TEXT: Record<number, string> = {
  400: 'The body is not valid UTF-8, or not valid JSON, or nested deeper than 32 levels',
  404: 'No such item in your firm',
  409: 'A stale version, or a state that forbids the change',
  415: 'The body is not application/json',
  422: 'A field breaks a rule; `errors` names each field and rule',
  500: 'Our fault; the body says nothing more. A stored task that cannot be read (damaged in the table) has its own `type`, `…/stored-task-unreadable`, and its id in `detail`; `DELETE /tasks/{id}` still deletes such a task',
  503: 'A dependency is busy; retry after the Retry-After seconds',
};

/** What API Gateway itself answers when it refuses a request (the JWT authorizer's 401). */
const GatewayRefusal = z
  .object({ message: z.literal('Unauthorized') })
  .openapi('GatewayRefusal', { description: "API Gateway's own body, not problem details." });

const problemContent = { 'application/problem+json': { schema: Problem } };

/**
 * What API Gateway answers by itself for a request over an HTTP API's limits, before the
 * function runs: a body over 10 MB (413), a request line and header values over 10,240 bytes
 * (431); and for an invocation stopped at the function's timeout (500). The local gateway
 * answers the same (local/local-api-gateway.ts).
 */
const GatewayLimit = z
  .object({ message: z.enum(['Request Entity Too Large', 'Request Header Fields Too Large', 'Internal Server Error']) })
  .openapi('GatewayLimit', { description: "API Gateway's own body for a request over the HTTP API's limits or the function's time, not problem details." });
const gatewayLimitContent = { 'application/json': { schema: GatewayLimit } };

const tooLarge = {
  description:
    'The body is too large: over the route\'s own limit (problem details), or over 10 MB, which API Gateway refuses with `{"message":"Request Entity Too Large"}`',
  content: { ...gatewayLimitContent, ...problemContent },
};

const serverError = {
  description: `${REFUSAL_TEXT[500]}. A request still under way at the function's timeout (${API_FUNCTION.timeoutSeconds} s) may instead get API Gateway's \`{"message":"Internal Server Error"}\``,
  content: { ...gatewayLimitContent, ...problemContent },
};

const headersTooLarge = {
  description: 'The request line and header values come to more than 10,240 bytes: API Gateway answers `{"message":"Request Header Fields Too Large"}`',
  content: gatewayLimitContent,
};

/**
 * Two parts answer 401: API Gateway's JWT authorizer, before the service runs, for a missing
 * or unverified token (its own body and challenge, as on AWS and the local adapter), and the
 * service for a verified token without a usable tenant claim (problem details).
 */
const unauthorized = {
  description:
    'No token, or one that does not verify: API Gateway\'s JWT authorizer answers `{"message":"Unauthorized"}` as `application/json`. ' +
    'A verified token without a valid tenant claim: problem details.',
  headers: z.object({
    'WWW-Authenticate': z.string().optional().openapi({
      description: 'From the authorizer: `Bearer` without a token; `Bearer scope="" error="invalid_token" ...` for a token it refused.',
      example: 'Bearer scope="" error="invalid_token"',
    }),
  }),
  content: { 'application/json': { schema: GatewayRefusal }, ...problemContent },
};

const noBody = {
  description: 'The request carried a body; this route takes none (`rule: no-body`)',
  content: problemContent,
};

/** The 4xx and 5xx answers of a route, each with its body. */
export function refusalsOf(r: Pick<Route, 'body' | 'public' | 'refusals' | 'query'>, mediaType = 'application/json') {
  // The body parser runs before the router: a body that is too large, of another type, or not
  // UTF-8 JSON is refused (413, 415, 400) on every route, also on one that takes no body; the
  // gateway's header quota (431) is every route's too.
  const statuses = [...new Set([400, 413, 415, 431, ...(r.public ? [] : [401]), ...(r.refusals ?? []), 500, 503])];
  // Every route without a body refuses one: 422, even where the route lists no 422 of its own.
  if (!r.body && !statuses.includes(422)) statuses.push(422);
  return Object.fromEntries(
    statuses
      .sort((a, b) => a - b)
      .map((status) => [
        status,
        status === 401
          ? unauthorized
          : status === 413
            ? tooLarge
            : status === 431
              ? headersTooLarge
              : status === 500
                ? serverError
                : !r.body && status === 422 && !r.refusals?.includes(422)
                  ? noBody
                  : { description: status === 415 ? `The body is not ${mediaType}` : (REFUSAL_TEXT[status] ?? 'Refused'), content: problemContent },
      ]),
  );
}

/** `GET /tasks/{id}/plan` becomes `getTasksByIdPlan`: unique, stable, and no route has to name it. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => (/^\{\w+\}$/.test(segment) ? [`by-${segment.slice(1, -1)}`] : [segment]))
    .flatMap((segment) => segment.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}
