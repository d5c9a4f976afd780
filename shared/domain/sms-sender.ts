import { toE164Mobile } from './phone.ts';

/** An alphanumeric sender: 1-11 characters of `[A-Za-z0-9 ]`, as SMS networks allow. */
const ALPHANUMERIC_SENDER = /^[A-Za-z0-9 ]{1,11}$/;
const PHONE_LIKE = /^(\+|00)?[\d ]+$/;

/**
 * Returns the sender as it is to be sent, or undefined when it is neither kind. Digits that
 * make a valid mobile number are a phone number, written in E.164 (`912 34 567` becomes
 * `+4791234567`); otherwise 1-11 of `[A-Za-z0-9 ]` is a name, kept as written. A name of
 * blanks only is refused.
 */
export function normaliseSmsSender(input: string): string | undefined {
  if (PHONE_LIKE.test(input)) {
    const e164 = toE164Mobile(input);
    if (e164) return e164;
  }
  return ALPHANUMERIC_SENDER.test(input) && input.trim().length > 0 ? input : undefined;
}
