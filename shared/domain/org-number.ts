/**
 * A Norwegian organisation number (Brønnøysundregistrene): nine digits, the last a MOD11
 * check digit over the first eight with the weights 3 2 7 6 5 4 3 2. Spaces are allowed
 * when written; the stored form is the nine digits.
 */
const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];

export function normaliseOrgNumber(input: string): string | undefined {
  const digits = input.replace(/\s/g, '');
  // Brønnøysund gives out numbers that start with 8 or 9; `000000000` passes MOD11 but is none.
  if (!/^[89]\d{8}$/.test(digits)) return undefined;
  const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(digits[i]), 0);
  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === Number(digits[8]) ? digits : undefined;
}
