import { sesInbox } from './local-aws-services.ts';
import type { FakeSmsGateway } from './fake-sms-gateway.ts';

/** The outbox: each e-mail and SMS as the stand-ins received it. */
export async function outbox(sesEndpoint: string, sms: FakeSmsGateway) {
  const emails = await sesInbox(sesEndpoint);
  return {
    emails: emails.map((e) => ({
      messageId: e.messageId,
      from: e.from,
      to: e.destination.to,
      subject: e.subject,
      text: e.body.text,
      at: new Date(e.at * 1000).toISOString(),
    })),
    sms: sms.sent.map((m) => ({ id: m.id, from: m.from, to: m.to, text: m.text, reference: m.reference, at: m.receivedAt })),
  };
}
