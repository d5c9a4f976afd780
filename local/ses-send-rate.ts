import type { FaultProxy } from './fault-proxy.ts';

/**
 * The SES stand-in's maximum sending rate: SendEmail calls (SES v2 `POST
 * /v2/email/outbound-emails`) above `perSecond` in a second are refused as SES refuses a send
 * over the account's rate: HTTP 400, `x-amzn-errortype: ThrottlingException`, "Maximum sending
 * rate exceeded." (SES Developer Guide, "Errors related to the sending quotas for your Amazon SES
 * account"). Nothing refused reaches the stand-in, so nothing refused is delivered.
 */
export function limitSesSendRate(proxy: FaultProxy, perSecond: number | undefined): void {
  proxy.throttleAbove(perSecond, (method, path) => method === 'POST' && path.startsWith('/v2/email/outbound-emails'), {
    status: 400,
    errorType: 'ThrottlingException',
    message: 'Maximum sending rate exceeded.',
  });
}
