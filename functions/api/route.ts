import type * as z from 'zod';
import type { Ports } from '../../shared/ports.ts';
import type { Idempotency } from '../../shared/use-cases/idempotent-create.ts';
import type { HttpResponse } from '../http/responses.ts';

/** What a route's `run` receives: the tenant from the verified token and the parsed input. */
export interface RouteInput<Body, Query> {
  ports: Ports;
  tenantId: string;
  params: Record<string, string>;
  query: Query;
  body: Body;
  /** From the `Idempotency-Key` header, on routes marked `idempotent`. */
  idempotency?: Idempotency;
  /** The API's own origin as the caller reached it (`https://<domain>`): the base of URLs the answer names. */
  apiOrigin: string;
}

/**
 * One route: its HTTP shape (which also feeds /openapi.json) and the use case it calls.
 * `run` returns the response body for `status`, or a whole HttpResponse for special cases.
 */
export interface Route<Body = unknown, Query = unknown, Response = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  summary: string;
  tag: string;
  /** Reachable without a token (the JWT authorizer is not attached on AWS). */
  public?: boolean;
  body?: z.ZodType<Body>;
  /** The body's media type when it is not JSON (a file upload: the body reaches `run` as its bytes). */
  bodyMediaType?: string;
  query?: z.ZodType<Query>;
  status: 200 | 201 | 202 | 204;
  response?: z.ZodType<Response>;
  /** Media types the response may have besides JSON (`run` then returns a whole HttpResponse). */
  rawResponseTypes?: string[];
  /** Takes an `Idempotency-Key` header that makes a retried create return the first result. */
  idempotent?: boolean;
  /** Refusals worth listing in the OpenAPI document, besides 401 and 500. */
  refusals?: number[];
  /** Its answer must be what `response` declares: checked at compile time, not inferred from it. */
  run: (input: RouteInput<Body, Query>) => Promise<NoInfer<Response> | HttpResponse>;
}

/** Keeps each route's Body, Query and Response types while the table holds them all. */
export function route<Body = undefined, Query = undefined, Response = void>(definition: Route<Body, Query, Response>): Route {
  return definition as unknown as Route;
}

export function isResponse(value: unknown): value is HttpResponse {
  return typeof value === 'object' && value !== null && 'statusCode' in value && 'headers' in value;
}
