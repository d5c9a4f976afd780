import { randomBytes } from 'node:crypto';

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
 * A multipart/alternative message (text and HTML, UTF-8, quoted-printable), 7-bit clean
 * with CRLF line ends (RFC 5322, RFC 2045-2047). These bytes are both what SES sends and what
 * the document center keeps. Written here rather than by a mail library: the message has one
 * fixed shape, and a general composer (nodemailer's, used before) cost a notice about as
 * much CPU as the rest of Frist's code and a cold start some 40 ms of loading.
 * The addresses were validated when they were saved (ASCII, RFC 5321); names and the subject
 * may hold any text and are encoded where they need it.
 */
export function buildMime(content: EmailContent): Buffer {
  // `=` never stands alone in quoted-printable text, so no line of a part can be this boundary.
  const boundary = `=_frist_${randomBytes(12).toString('hex')}`;
  const headers = [
    `From: ${mailbox(content.from)}`,
    ...(content.replyTo ? [`Reply-To: ${mailbox({ address: content.replyTo })}`] : []),
    `To: ${mailbox(content.to)}`,
    `Subject: ${unstructured(content.subject)}`,
    `Message-ID: ${content.messageId}`,
    `Date: ${content.date.toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative;\r\n boundary="${boundary}"`,
  ];
  const part = (type: string, body: string) =>
    `--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${quotedPrintable(body)}\r\n`;
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${part('text/plain', content.text)}${part('text/html', content.html)}--${boundary}--\r\n`);
}

/** `name <address>`, the name as it stands, quoted, or encoded (RFC 5322 3.4, RFC 2047 5). */
function mailbox({ address, name }: { address: string; name?: string }): string {
  if (!name) return address;
  if (/^[\w ]*$/.test(name)) return `${name} <${address}>`;
  if (/^[\x20-\x7e]*$/.test(name) && !name.includes('=?')) return `"${name.replace(/[\\"]/g, '\\$&')}" <${address}>`;
  return `${encodedWords(name)} <${address}>`;
}

/** An unstructured header's text: as it is when short printable ASCII, else encoded words. */
function unstructured(text: string): string {
  return /^[\x20-\x7e]{0,60}$/.test(text) && !text.includes('=?') ? text : encodedWords(text);
}

/**
 * RFC 2047 B encoded words, folded one per line: at most 39 bytes of UTF-8 each (52 base64
 * characters, 64 with the wrapping: under the 75 a word may have, and a first line with its
 * header name under 78), never splitting a character.
 */
function encodedWords(text: string): string {
  const words: string[] = [];
  let word = '';
  for (const character of text) {
    if (Buffer.byteLength(word + character) > 39) {
      words.push(word);
      word = '';
    }
    word += character;
  }
  words.push(word);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

/**
 * RFC 2045 6.7: printable ASCII but `=` as it is, other bytes as `=XX`, a space or tab at a
 * line's end encoded, lines of at most 76 characters by soft breaks (`=` at the end) that
 * never split an `=XX`. The text's line breaks become CRLF.
 */
export function quotedPrintable(text: string): string {
  return text.split(/\r?\n/).map(encodeLine).join('\r\n');
}

function encodeLine(line: string): string {
  const bytes = Buffer.from(line);
  const lines: string[] = [];
  let current = '';
  bytes.forEach((byte, i) => {
    const literal = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && i < bytes.length - 1);
    const token = literal ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (current.length + token.length > 75) {
      lines.push(`${current}=`);
      current = '';
    }
    current += token;
  });
  lines.push(current);
  return lines.join('\r\n');
}
