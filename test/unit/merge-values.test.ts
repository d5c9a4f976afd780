import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../shared/domain/merge-codes.ts';
import { mergeValuesFor, mergeValuesForTexts } from '../../shared/domain/merge-values.ts';
import type { Customer, SettingsFields, TaskFields } from '../../shared/domain/model.ts';
import { formatPhoneForReaders } from '../../shared/domain/phone.ts';

const task: TaskFields = { title: 'MVA-melding', customerId: 'c-1', deadline: '2027-02-10', responsible: 'Kari', notices: [] };
const customer: Customer = {
  id: 'c-1',
  name: 'Fjord Bakeri AS',
  email: 'post@fjordbakeri.no',
  mobile: '+4791234567',
  optIn: { email: true, sms: true },
  version: 1,
  createdAt: '2027-01-01T00:00:00Z',
  updatedAt: '2027-01-01T00:00:00Z',
};
const settings: SettingsFields = { firm: { name: 'Tall og Tid', phone: '+4722334455' }, timeZone: 'Europe/Oslo', smsSenderActivated: false };
const now = new Date('2027-02-07T09:00:00Z');

/** Each text filled in with the values dispatch computes for these texts. */
async function filledForTexts(texts: string[]): Promise<string[]> {
  const values = await mergeValuesForTexts(texts, task, customer, settings, now);
  return texts.map((text) => renderTemplate(text, values));
}

// Dispatch formats the phone numbers only for texts that have their codes (libphonenumber
// loads on first need): every text must still read as with the numbers always formatted.
describe('merge values for the texts of a notice', () => {
  const eager = mergeValuesFor(task, customer, settings, now, formatPhoneForReaders);

  it('formats the phone numbers as before for the codes, in English or Norwegian', () => {
    expect(eager.customer.mobile).toBe('912 34 567');
    expect(eager.firm.phone).toBe('22 33 44 55');
  });

  it.each([
    ['{{customer.mobile}}', '912 34 567'],
    ['Mobil: {{ kunde.mobil }}', 'Mobil: 912 34 567'],
    ['Ring oss på {{firma.telefon}}', 'Ring oss på 22 33 44 55'],
    ['{{firm.phone}} / {{customer.mobile}}', '22 33 44 55 / 912 34 567'],
  ])('fills %s with the formatted number', async (text, filled) => {
    expect(await filledForTexts([text])).toEqual([filled]);
    expect(renderTemplate(text, eager)).toBe(filled);
  });

  it('formats a number whose code is in another of the texts (the subject)', async () => {
    expect(await filledForTexts(['Hei {{customer.name}}', 'Spørsmål? {{firma.telefon}}'])).toEqual(['Hei Fjord Bakeri AS', 'Spørsmål? 22 33 44 55']);
  });

  it('fills texts without a phone code exactly as before, and leaves the numbers out of the values', async () => {
    const texts = ['Hei {{customer.name}}! Frist {{task.deadline}}, {{task.daysLeft}} dager igjen. {{firm.name}}', '{{oppgave.tittel}}'];
    expect(await filledForTexts(texts)).toEqual(texts.map((text) => renderTemplate(text, eager)));
    const values = await mergeValuesForTexts(texts, task, customer, settings, now);
    expect(values).toEqual({ ...eager, customer: { ...eager.customer, mobile: undefined }, firm: { ...eager.firm, phone: undefined } });
  });

  it('treats an unknown code that looks like a phone code as unknown, as rendering does', async () => {
    expect(await filledForTexts(['[{{customer.phone}}]'])).toEqual(['[]']);
  });
});
