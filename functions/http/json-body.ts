import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MalformedRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../shared/errors.ts';
import { GATEWAY_PATH_PREFIX } from '../../shared/use-cases/sms-gateway.ts';
import { decodeUtf8, refuseNonText } from './text-guard.ts';

/** SMS gateways (Sveve) may post a form: accepted on their callback URLs only. */
const FORM = 'application/x-www-form-urlencoded';

/** The event after jsonBody: `body` is the parsed JSON value, or undefined when there was none. */
export type ParsedEvent = Omit<APIGatewayProxyEventV2, 'body'> & { body?: unknown };

/**
 * The one media type a request body of `method` is accepted in. A PATCH is an RFC 7396 merge
 * patch, whose `null` removes a member; the same body sent as a PUT would mean "replace
 * everything", so each method names its type and refuses the other.
 */
export function bodyMediaType(method: string): string {
  return method.toUpperCase() === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
}

/**
 * A route that takes a larger body than the rest: its method, a pattern of its path, its
 * limit, and, for a file upload, the one media type it takes: such a body reaches the route
 * as its bytes (a Uint8Array), for the route to read.
 */
export interface LargerBody {
  method: string;
  path: RegExp;
  maxBytes: number;
  mediaType?: string;
}

function largerFor(event: APIGatewayProxyEventV2, options: { larger?: LargerBody[] }): LargerBody | undefined {
  const method = event.requestContext.http.method.toUpperCase();
  return options.larger?.find((l) => l.method === method && l.path.test(event.rawPath));
}

/**
 * Parses a JSON request body before the router sees it: over `maxBytes` is 413, a body
 * that is not of the method's media type (bodyMediaType) is 415, bytes that are not UTF-8 or
 * JSON that does not parse are 400, a string with a NUL or a lone surrogate is 422. The SMS
 * gateway's callback URLs also take a form (`application/x-www-form-urlencoded`), and an
 * upload route its file's type (LargerBody), passed on as bytes. An empty body is no body. The size is checked on the raw bytes, before any parsing work.
 */
export function jsonBody(options: { maxBytes: number; larger?: LargerBody[] }): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: (request) => {
      const event = request.event;
      if (event.body === undefined || event.body === null || event.body === '') {
        (event as ParsedEvent).body = undefined;
        return;
      }
      const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
      const larger = largerFor(event, options);
      const maxBytes = larger?.maxBytes ?? options.maxBytes;
      if (raw.length > maxBytes) {
        throw new PayloadTooLargeError(`the body is ${raw.length} bytes; at most ${maxBytes} are accepted`);
      }
      // The type without its parameters (`; charset=utf-8`), which RFC 9110 makes case-insensitive.
      const type = (headerOf(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (larger?.mediaType) {
        if (type !== larger.mediaType) throw new UnsupportedMediaTypeError(`send the body as ${larger.mediaType}`);
        (event as ParsedEvent).body = new Uint8Array(raw);
        return;
      }
      const expected = bodyMediaType(event.requestContext.http.method);
      if (type === FORM && event.rawPath.startsWith(GATEWAY_PATH_PREFIX)) {
        (event as ParsedEvent).body = Object.fromEntries(new URLSearchParams(decodeUtf8(raw)));
        refuseNonText((event as ParsedEvent).body);
        return;
      }
      if (type !== expected) throw new UnsupportedMediaTypeError(`send the body of a ${event.requestContext.http.method.toUpperCase()} as ${expected}`);
      const text = decodeUtf8(raw);
      try {
        (event as ParsedEvent).body = JSON.parse(text);
      } catch (error) {
        throw new MalformedRequestError('the body is not valid JSON', { cause: error });
      }
      refuseNonText((event as ParsedEvent).body);
    },
  };
}

export function headerOf(event: Pick<APIGatewayProxyEventV2, 'headers'>, name: string): string | undefined {
  return event.headers?.[name] ?? Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
}
