/** True for an IANA zone name this runtime knows (`Europe/Oslo`, `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

export const DEFAULT_TIME_ZONE = 'Europe/Oslo';
