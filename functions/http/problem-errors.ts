import type middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import { FristError, MethodNotAllowedError, NotFoundError } from '../../shared/errors.ts';
import { problem } from './responses.ts';

/**
 * The one place errors become HTTP: FristErrors keep their status and words, middy's own
 * 404 for an unknown route becomes ours, and anything else is logged and answered with a
 * bare 500. Logs carry the error's name and message, never the request body.
 */
export function problemErrors(logger: Logger): middy.MiddlewareObj {
  return {
    onError: (request) => {
      const error = toFristError(request.error);
      const response = problem(error, (request.event as { rawPath?: string }).rawPath);
      if (response.statusCode >= 500) {
        logger.error('request failed', { error: request.error as Error });
      } else {
        logger.info('request refused', { status: response.statusCode, problem: (error as Error).name });
      }
      request.response = response;
    },
  };
}

function toFristError(error: unknown): unknown {
  if (error instanceof FristError) return error;
  const status = (error as { statusCode?: number } | null)?.statusCode;
  if (status === 404) return new NotFoundError('no such route');
  if (status === 405) return new MethodNotAllowedError('this route does not take that method');
  return error;
}
