import { SendEmailCommand, SESv2Client, type SESv2ClientConfig } from '@aws-sdk/client-sesv2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Mailer, RawEmail } from '../ports.ts';
import { classifySesError, toDeliveryError } from './provider-errors.ts';

/** SES accepts a connection within this long, or the send fails with nothing sent. */
export const SES_CONNECTION_TIMEOUT_MS = 3_000;

/**
 * The SES client for sending: exactly one HTTP request per send. The SDK's default retries
 * (up to three attempts on throttling, 5xx and network faults) would turn a lost answer into
 * a second e-mail; the retry is dispatch's, which knows the outcome was unknown. The request
 * timeout ends a call that hangs instead of leaving it to the Lambda timeout.
 */
export function createSesClient(options: SESv2ClientConfig, requestTimeoutMs: number): SESv2Client {
  return new SESv2Client({
    ...options,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: SES_CONNECTION_TIMEOUT_MS,
      requestTimeout: requestTimeoutMs,
      // Without it the request timeout only logs a warning and the call waits on.
      throwOnRequestTimeout: true,
    }),
  });
}

/** SES v2 with the raw MIME that dispatch built, so the archived `.eml` is what was sent. */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly configurationSet?: string,
  ) {}

  async sendRaw(email: RawEmail): Promise<{ messageId: string }> {
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: email.from,
          Destination: { ToAddresses: [email.to] },
          Content: { Raw: { Data: email.raw } },
          EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value })),
          ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        }),
      );
      return { messageId: result.MessageId ?? '' };
    } catch (error) {
      throw toDeliveryError(classifySesError(error));
    }
  }
}
