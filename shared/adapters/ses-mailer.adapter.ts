import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { DeliveryError } from '../errors.ts';
import type { Mailer, RawEmail } from '../ports.ts';

/** SES errors a retry may cure; every other refusal is about this message and final. */
const TRANSIENT = new Set(['TooManyRequestsException', 'LimitExceededException', 'InternalServiceErrorException', 'ServiceUnavailable']);

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
      throw new DeliveryError(`SES refused the message: ${(error as Error).name}`, isTransient(error), { cause: error });
    }
  }
}

export function isTransient(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  // No status at all is a network fault or a timeout: worth another try.
  return TRANSIENT.has(e.name ?? '') || e.$retryable !== undefined || status === undefined || status >= 500 || status === 429;
}
