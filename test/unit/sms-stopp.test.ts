import { describe, expect, it } from 'vitest';
import { inboundNumber, isStopMessage, withoutKeyword } from '../../shared/use-cases/sms-stopp.ts';

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

describe("a Sveve push's text without its keyword", () => {
  it.each([
    ['FRIST STOPP', 'FRIST'],
    ['FRIST  STOPP', 'FRIST'],
    ['FRIST\nSTOPP', 'FRIST'],
    ['frist\tStopp takk', 'FRIST'],
    ['STOPP', 'FRIST'],
    // The firm's keyword is itself a stop word: the whole text is the answer.
    ['STOPP takk', 'STOPP'],
    ['stop', 'STOP'],
    ['FRIST.A STOPP', 'FRIST.A'],
  ])('%j (keyword %j) stops', (msg, keyword) => {
    expect(isStopMessage(withoutKeyword(msg, keyword))).toBe(true);
  });

  it.each([
    ['FRIST', 'FRIST'],
    ['FRIST hei', 'FRIST'],
    ['FRISTSTOPP', 'FRIST'],
    ['FRIST Stopper dere?', 'FRIST'],
  ])('%j (keyword %j) does not', (msg, keyword) => {
    expect(isStopMessage(withoutKeyword(msg, keyword))).toBe(false);
  });
});

describe('the number an inbound SMS came from', () => {
  it.each([
    ['4791234567', '+4791234567'],
    ['+4791234567', '+4791234567'],
    ['004791234567', '+4791234567'],
    [' 0046701234567 ', '+46701234567'],
    ['91234567', '+4791234567'],
  ])('%j is %j', (raw, e164) => {
    expect(inboundNumber(raw)).toBe(e164);
  });

  it.each(['00', '0047', 'abc', ''])('%j is no number', (raw) => {
    expect(inboundNumber(raw)).toBeUndefined();
  });
});
