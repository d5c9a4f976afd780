import { toE164Mobile } from './phone.ts';

/** An alphanumeric sender: 1-11 characters of `[A-Za-z0-9 ]`, as SMS networks allow. */
const ALPHANUMERIC_SENDER = /^[A-Za-z0-9 ]{1,11}$/;

/**
 * Returns the sender as it is to be sent (a phone number in E.164, or the alphanumeric
 * name unchanged), or undefined when it is neither. A name of blanks only is refused.
 */
export function normaliseSmsSender(input: string): string | undefined {
  if (/^\+|^00/.test(input.trim())) return toE164Mobile(input);
  if (ALPHANUMERIC_SENDER.test(input) && input.trim().length > 0) return input;
  return toE164Mobile(input);
}
