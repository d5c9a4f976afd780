/**
 * Dispatch's cold start with what its first notice that needs phone numbers adds: an SMS (its
 * country check) or a text with a phone merge code loads libphonenumber-js, which dispatch
 * imports on first need (shared/domain/merge-values.ts, shared/use-cases/dispatch-notice.ts).
 * bench/bundle-size.ts builds and imports it as a function's handler, so its row beside
 * dispatch's is what that first notice pays, once per container.
 */
export { handler } from '../functions/dispatch/handler.ts';

const { formatPhoneForReaders } = await import('../shared/domain/phone.ts');
const { countryOf } = await import('../shared/domain/sms-countries.ts');
export const firstUse = [formatPhoneForReaders('+4791234567'), countryOf('+4791234567')];
