import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import type { SmsLimits } from './sms-limits.ts';

/*
 * The countries of phone numbers, apart from sms-limits.ts: they need libphonenumber's
 * metadata, which dispatch loads only for a notice that needs it (an SMS, or a text with a
 * phone merge code; docs/decisions.md, "Cold start: phone numbers on first need").
 */

/** The number's country (`NO`, `SE`), or undefined when no country can be told. */
export function countryOf(e164: string): string | undefined {
  return parsePhoneNumberFromString(e164)?.country;
}

/** An ISO 3166 alpha-2 code that phone numbers are known for. */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);
}

export function countryAllowed(e164: string, limits: SmsLimits): boolean {
  const country = countryOf(e164);
  return country !== undefined && limits.allowedCountries.includes(country);
}
