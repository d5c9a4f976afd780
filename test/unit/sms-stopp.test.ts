import { describe, expect, it } from 'vitest';
import { isStopMessage } from '../../shared/use-cases/sms-stopp.ts';

describe('a STOPP answer', () => {
  it.each(['STOPP', 'stopp', 'Stop', '  STOPP takk', 'Stopp.', 'STOP.', 'Stopp!', '«STOPP»', '"stopp"', 'STOPP, takk', 'stopp\nHilsen Kari'])(
    '%j stops',
    (text) => {
      expect(isStopMessage(text)).toBe(true);
    },
  );

  it.each(['Stopper dere snart?', 'stopp.no', 'STOPP2', 'Stoppe', 'ikke stopp', '', 'OK'])('%j does not', (text) => {
    expect(isStopMessage(text)).toBe(false);
  });
});
