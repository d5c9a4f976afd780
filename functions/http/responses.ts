import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { FristError, MethodNotAllowedError } from '../../shared/errors.ts';

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

export function noContent(): HttpResponse {
  return { statusCode: 204, headers: { ...SECURITY_HEADERS }, body: '' };
}

/**
 * An error as RFC 9457 problem details. A FristError says what the caller can change; any
 * other error is ours, and its body says nothing about it (the log has the details).
 */
export function problem(error: unknown, instance?: string): HttpResponse {
  const known = error instanceof FristError ? error : undefined;
  const status = known?.status ?? 500;
  const body = {
    type: `https://frist.dev/problems/${known?.type ?? status}`,
    title: known?.title ?? 'Internal server error',
    status,
    detail: known ? known.message : 'Something went wrong on our side. The request may be retried.',
    ...(known?.issues.length ? { errors: known.issues } : {}),
    ...(instance ? { instance } : {}),
  };
  const headers: Record<string, string> = { 'content-type': 'application/problem+json', ...SECURITY_HEADERS };
  if (status === 503) headers['retry-after'] = '2';
  if (known instanceof MethodNotAllowedError && known.allow.length) headers.allow = known.allow.join(', ');
  return { statusCode: status, headers, body: JSON.stringify(body) };
}
