import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';

/**
 * Normalises a mobile number to E.164, or returns undefined when it is not a valid mobile
 * number. A number without a country code is Norwegian (+47), so a bare 8-digit number
 * works; `00` international prefixes work too. The "mobile" metadata of libphonenumber
 * accepts only numbers that can receive SMS, so a Norwegian land line is refused.
 */
export function toE164Mobile(input: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input, 'NO');
  return parsed?.isValid() ? parsed.number : undefined;
}

/** `+4791234567` -> `+47******67`: what logs may show of a number. */
export function maskPhone(e164: string): string {
  return e164.length <= 5 ? '***' : `${e164.slice(0, 3)}${'*'.repeat(e164.length - 5)}${e164.slice(-2)}`;
}

/**
 * A number as a Norwegian reader writes it: `912 34 567` for a Norwegian mobile (4xx, 9xx),
 * `22 33 44 55` for other Norwegian numbers, the international format (`+46 70 123 45 67`)
 * for the rest. Anything that does not parse is left as it was written.
 */
export function formatPhoneForReaders(number: string): string {
  const parsed = parsePhoneNumberFromString(number, 'NO');
  if (!parsed) return number;
  const national = String(parsed.nationalNumber);
  if (parsed.countryCallingCode !== '47' || national.length !== 8) return parsed.formatInternational();
  return /^[49]/.test(national) ? `${national.slice(0, 3)} ${national.slice(3, 5)} ${national.slice(5)}` : national.replace(/(\d\d)(?=\d)/g, '$1 ');
}
