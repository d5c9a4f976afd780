import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer, RawEmail } from '../ports.ts';
import { classifySesError, toDeliveryError } from './provider-errors.ts';

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
