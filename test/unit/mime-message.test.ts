import fc from 'fast-check';
import { simpleParser, type AddressObject } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildMime, type EmailContent } from '../../shared/adapters/mime-message.ts';

const base: EmailContent = {
  from: { address: 'varsel@tallogtid.example', name: 'Tall og Tid' },
  replyTo: 'post@tallogtid.example',
  to: { address: 'ase@odegard.example', name: 'Åse Ødegård' },
  subject: 'Påminnelse: MVA-melding har frist 10.02.2027',
  text: 'Hei Åse!\n\nFristen er 10.02.2027.',
  html: '<p>Hei Åse!</p>',
  messageId: '<task-notice-20270207T080000Z-email@frist>',
  date: new Date('2027-02-07T08:00:00Z'),
};

const hasControl = (s: string) => [...s].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);

/** What a mail reader makes of the message. */
async function read(content: EmailContent) {
  const raw = buildMime(content);
  const parsed = await simpleParser(raw);
  return { raw: raw.toString('latin1'), parsed };
}

describe('the e-mail message', () => {
  it('reads back as sent: addresses, names, subject, id, date and both alternatives', async () => {
    const { parsed } = await read(base);
    expect(parsed.from?.value).toEqual([{ address: 'varsel@tallogtid.example', name: 'Tall og Tid' }]);
    expect(parsed.replyTo?.value).toEqual([{ address: 'post@tallogtid.example', name: '' }]);
    expect((parsed.to as AddressObject).value).toEqual([{ address: 'ase@odegard.example', name: 'Åse Ødegård' }]);
    expect(parsed.subject).toBe(base.subject);
    expect(parsed.messageId).toBe(base.messageId);
    expect(parsed.date?.toISOString()).toBe('2027-02-07T08:00:00.000Z');
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(parsed.text).toBe(base.text);
    expect(parsed.html).toBe(base.html);
  });

  it('is 7-bit, with CRLF line ends and no line over 78 characters', async () => {
    const { raw } = await read({ ...base, subject: 'Æ'.repeat(200), text: `${'ø'.repeat(300)} \n${'x'.repeat(500)}=` });
    expect([...raw].every((c) => c.charCodeAt(0) < 128)).toBe(true);
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('keeps a name with quotes, commas and brackets one mailbox', async () => {
    const { parsed } = await read({ ...base, to: { address: 'a@b.example', name: 'Hansen, "Ola" <Regnskap> \\ AS' } });
    expect((parsed.to as AddressObject).value).toEqual([{ address: 'a@b.example', name: 'Hansen, "Ola" <Regnskap> \\ AS' }]);
  });

  it('reads back any names, subject and texts exactly', async () => {
    // Texts as the merge codes render them (a notice has a message): any characters, \n line breaks.
    // Not empty once the \r are taken out ("\r" alone would become the empty text no notice has).
    const text = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 400 })
      .map((s) => s.replace(/\r/g, ''))
      .filter((s) => s.length > 0);
    // Names and subjects are one line of text, without control characters, trimmed (as saved).
    const line = (maxLength: number) => fc.string({ unit: 'binary', minLength: 1, maxLength }).filter((s) => s.trim() === s && !hasControl(s));
    const name = line(80);
    const subject = line(150);
    await fc.assert(
      fc.asyncProperty(name, subject, text, text, async (toName, subjectText, plain, html) => {
        const { parsed } = await read({ ...base, to: { address: 'a@b.example', name: toName }, subject: subjectText, text: plain, html: `<p>${html}</p>` });
        expect((parsed.to as AddressObject).value[0]?.name).toBe(toName);
        expect(parsed.subject).toBe(subjectText);
        expect(parsed.text).toBe(plain);
        expect(parsed.html).toBe(`<p>${html}</p>`);
      }),
      { numRuns: 200 },
    );
  });
});
