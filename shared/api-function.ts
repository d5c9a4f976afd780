/**
 * The api function as the CDK stack deploys it and the local API gateway runs it, from this one
 * place.
 */
export const API_FUNCTION = {
  /**
   * Longest one request may run: Lambda stops the invocation then, and API Gateway answers the
   * client for it. Well under the HTTP API's own 30 s, so the function's timeout, not the
   * gateway's, is the one a slow request meets.
   */
  timeoutSeconds: 15,
} as const;
