import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CORS_POLICY } from '../functions/api/cors.ts';
import { API_FUNCTION } from '../shared/api-function.ts';
import { lambdaContext, withinTimeout } from './lambda-context.ts';
import type { LocalJwt } from './local-jwt.ts';

/** API Gateway's own limit on a request payload. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/**
 * Lambda's limit on a synchronous invocation's response: the function's answer as the runtime
 * posts it, as JSON with the body an escaped string. Over it, the invocation fails and API
 * Gateway answers 502 (the integration failed), whatever the function meant to say.
 */
export const MAX_LAMBDA_RESPONSE_BYTES = 6_291_556;
/**
 * An HTTP API's quota on the request line and the header values together ("Total combined size of
 * request line and header values", not adjustable). Node's own limit (16 KB, names included) is
 * looser, so the gateway counts itself.
 */
export const MAX_REQUEST_LINE_AND_HEADER_BYTES = 10_240;

export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

export interface LocalRoute {
  /** Handles `METHOD /path` itself, before the Lambda (local-only routes such as /_local/*). */
  matches(method: string, path: string): boolean;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

/**
 * The local stand-in for an API Gateway HTTP API with a JWT authorizer: each HTTP request
 * becomes a payload-2.0 event for the api handler. Routes outside `publicRouteKeys` need a
 * bearer token that verifies, as the authorizer demands, and its claims ride along in
 * `requestContext.authorizer.jwt.claims`. Refusals look like API Gateway's own.
 */
export function createLocalApiGateway(options: {
  handler: LambdaHandler;
  jwt: LocalJwt;
  publicRouteKeys: readonly string[];
  localRoutes?: LocalRoute[];
  /** Browser origins allowed to call the API (the stack's `corsOrigins`); none: no CORS, as on AWS. */
  corsOrigins?: () => readonly string[];
  /** The api function's timeout: the stack's (API_FUNCTION) unless a test shortens it to reach it without a long wait. */
  timeoutMs?: number;
}): Server {
  return createServer((request, response) => {
    serve(request, response, options).catch(() => send(response, 500, { message: 'Internal Server Error' }));
  });
}

async function serve(request: IncomingMessage, response: ServerResponse, options: Parameters<typeof createLocalApiGateway>[0]): Promise<void> {
  // Prefixed, not resolved against a base: `//settings` is a path, not a host.
  const url = new URL(`http://localhost${request.url ?? '/'}`);
  const method = request.method ?? 'GET';
  const origins = options.corsOrigins?.() ?? [];
  const cors = corsHeaders(request, origins);
  // Refused before any route, preflight or authorizer: the quota is the gateway's, for every request.
  if (requestLineAndHeaderBytes(request) > MAX_REQUEST_LINE_AND_HEADER_BYTES) return send(response, 431, { message: 'Request Header Fields Too Large' }, cors);
  if (origins.length && method === 'OPTIONS' && request.headers.origin && request.headers['access-control-request-method']) {
    return preflight(request, response, origins);
  }
  const local = options.localRoutes?.find((r) => r.matches(method, url.pathname));
  if (local) return local.handle(request, response);

  const body = await readBody(request);
  if (body === 'too-large') return send(response, 413, { message: 'Request Entity Too Large' }, cors);

  const headers = combinedHeaders(request);
  let claims: Record<string, string> | undefined;
  if (!options.publicRouteKeys.some((key) => routeKeyMatches(key, method, url.pathname))) {
    const header = headers.authorization;
    const token = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
    claims = token ? await options.jwt.verify(token) : undefined;
    if (!claims) return send(response, 401, { message: 'Unauthorized' }, { ...cors, 'www-authenticate': bearerChallenge(header) });
  }

  const event = toEvent(request, headers, url, body, claims);
  const timeoutMs = options.timeoutMs ?? API_FUNCTION.timeoutSeconds * 1000;
  let result: APIGatewayProxyResultV2;
  try {
    // Lambda stops the invocation at the function's timeout: a function error, answered as a throw is.
    result = await withinTimeout(options.handler(event, lambdaContext('frist-api-local', event.requestContext.requestId, timeoutMs)), timeoutMs);
  } catch {
    return send(response, 500, { message: 'Internal Server Error' }, cors);
  }
  if (Buffer.byteLength(JSON.stringify(result)) > MAX_LAMBDA_RESPONSE_BYTES) return send(response, 502, { message: 'Internal Server Error' }, cors);
  const structured: APIGatewayProxyStructuredResultV2 =
    typeof result === 'object' && result !== null && 'statusCode' in result ? result : { statusCode: 200, body: JSON.stringify(result) };
  response.writeHead(structured.statusCode ?? 200, { ...withoutCors(structured.headers ?? {}), ...cors });
  response.end(structured.isBase64Encoded ? Buffer.from(structured.body ?? '', 'base64') : (structured.body ?? ''));
}

/**
 * With CORS configured, API Gateway answers every preflight itself (the function never sees an
 * OPTIONS), and names the policy only to an allowed origin ("Configure CORS for HTTP APIs in API
 * Gateway"). Origins are compared exactly, as configured.
 */
function preflight(request: IncomingMessage, response: ServerResponse, origins: readonly string[]): void {
  const origin = request.headers.origin!;
  response.writeHead(
    204,
    origins.includes(origin)
      ? {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': CORS_POLICY.allowMethods.join(','),
          'access-control-allow-headers': CORS_POLICY.allowHeaders.join(','),
          'access-control-max-age': String(CORS_POLICY.maxAgeSeconds),
          vary: 'Origin',
        }
      : {},
  );
  response.end();
}

/** On a CORS request, API Gateway adds the configured headers to the answer, its own refusals included. */
function corsHeaders(request: IncomingMessage, origins: readonly string[]): Record<string, string> {
  const origin = request.headers.origin;
  if (!origin || !origins.includes(origin)) return {};
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': CORS_POLICY.exposeHeaders.join(','), vary: 'Origin' };
}

/** "If you configure CORS for an API, API Gateway ignores CORS headers returned from your backend integration." */
function withoutCors(headers: Record<string, string | number | boolean>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !/^access-control-/i.test(name))
      .map(([name, value]) => [name, String(value)]),
  );
}

/**
 * The authorizer's `www-authenticate`: a bare `Bearer` when no Authorization header came (RFC
 * 6750 3.1), and for anything else there (a refused token, or no `Bearer ` scheme) AWS's form,
 * `Bearer scope="" error="invalid_token" error_description=...`,
 * without the description, whose wording only AWS knows.
 */
function bearerChallenge(header: string | undefined): string {
  return header === undefined ? 'Bearer' : 'Bearer scope="" error="invalid_token"';
}

/**
 * `GET /x/{id}/y` matches `GET /x/42/y`, as an API Gateway route with path parameters does:
 * a parameter is one whole, non-empty path segment.
 */
function routeKeyMatches(key: string, method: string, path: string): boolean {
  const [keyMethod, keyPath] = key.split(' ') as [string, string];
  if (keyMethod !== method) return false;
  const pattern = keyPath.split('/').map((segment) => (/^\{\w+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${pattern.join('/')}$`).test(path);
}

/** What the HTTP API's quota counts: the request line (`GET /path?query HTTP/1.1`) and each header's value, in bytes. */
function requestLineAndHeaderBytes(request: IncomingMessage): number {
  let bytes = Buffer.byteLength(`${request.method} ${request.url} HTTP/${request.httpVersion}`);
  for (let i = 1; i < request.rawHeaders.length; i += 2) bytes += Buffer.byteLength(request.rawHeaders[i]!);
  return bytes;
}

/**
 * The request's headers as payload 2.0 gives them, and the authorizer reads them: names in lower
 * case, a repeated header's values joined with commas ("Duplicate headers are combined with
 * commas"). Node's own `request.headers` keeps only the first of a repeated `Authorization` or
 * `Content-Type`, which would let through what API Gateway refuses. Cookies stay joined as
 * Node joins them.
 */
function combinedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (values !== undefined) headers[name] = values.join(name === 'cookie' ? '; ' : ',');
  }
  return headers;
}

function toEvent(request: IncomingMessage, received: Record<string, string>, url: URL, body: Buffer, claims?: Record<string, string>): APIGatewayProxyEventV2 {
  // API Gateway tells the function the scheme the client used (always https there).
  const headers: Record<string, string> = { ...received, 'x-forwarded-proto': 'http' };
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  // Text goes as a string only when it is valid UTF-8; other bytes are passed base64-encoded,
  // so the function sees them as they came (and refuses them) instead of replacement characters.
  const textual = /json|text|xml|urlencoded/i.test(headers['content-type'] ?? 'application/json') && isUtf8(body);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
    ...(body.length ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !textual,
  };
}

function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_PAYLOAD_BYTES ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
