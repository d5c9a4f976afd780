import type { FaultProxy } from './fault-proxy.ts';

/**
 * The SES stand-in's maximum sending rate: SendEmail calls (SES v2 `POST
 * /v2/email/outbound-emails`) above `perSecond` in a second are refused as SES v2 refuses a send
 * over the account's rate: HTTP 429, `x-amzn-errortype: TooManyRequestsException`, "Maximum
 * sending rate exceeded." (SES API v2 Reference, SendEmail, "Errors"). The 400
 * `ThrottlingException` of the SES Developer Guide's "Errors related to the sending quotas" is
 * the v1 API's answer (`Throttling`), which Frist does not call. Nothing refused reaches the
 * stand-in, so nothing refused is delivered.
 */
export function limitSesSendRate(proxy: FaultProxy, perSecond: number | undefined): void {
  proxy.throttleAbove(perSecond, (method, path) => method === 'POST' && path.startsWith('/v2/email/outbound-emails'), {
    status: 429,
    errorType: 'TooManyRequestsException',
    message: 'Maximum sending rate exceeded.',
  });
}
