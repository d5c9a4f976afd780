import MailComposer from 'nodemailer/lib/mail-composer';

export interface EmailContent {
  from: { address: string; name?: string };
  replyTo?: string;
  to: { address: string; name?: string };
  subject: string;
  text: string;
  html: string;
  /** `<id@domain>`: stable per delivery, so a copy can be matched to its delivery. */
  messageId: string;
  date: Date;
}

/**
 * A multipart/alternative message (text and HTML, UTF-8) built by nodemailer's composer:
 * header encoding, line folding and transfer encodings are its job, not ours. These bytes
 * are both what SES sends and what the document center keeps.
 */
export async function buildMime(content: EmailContent): Promise<Buffer> {
  const composer = new MailComposer({
    from: content.from,
    to: content.to,
    ...(content.replyTo ? { replyTo: content.replyTo } : {}),
    subject: content.subject,
    text: content.text,
    html: content.html,
    messageId: content.messageId,
    date: content.date,
    textEncoding: 'quoted-printable',
  });
  return composer.compile().build();
}
