import { describe, expect, it } from 'vitest';
import { measureSms } from '../../shared/domain/sms-encoding.ts';

describe('measureSms', () => {
  it('sends Norwegian letters as GSM-7: æøåÆØÅ are in the basic table', () => {
    expect(measureSms('Hei Øystein, fristen for MVA er på fredag. Hilsen Ærlig & Åpen')).toMatchObject({
      encoding: 'GSM-7',
      segments: 1,
    });
  });

  it('counts extension characters as two septets', () => {
    expect(measureSms('€[]')).toMatchObject({ encoding: 'GSM-7', characters: 3, units: 6 });
  });

  it('fits 160 septets in one segment and needs two for 161', () => {
    expect(measureSms('a'.repeat(160)).segments).toBe(1);
    expect(measureSms('a'.repeat(161)).segments).toBe(2);
  });

  it('fills concatenated GSM-7 segments with 153 septets', () => {
    expect(measureSms('a'.repeat(306)).segments).toBe(2);
    expect(measureSms('a'.repeat(307)).segments).toBe(3);
  });

  it('never splits an escape pair across two segments', () => {
    // 306 septets would fill exactly two segments, but '€' (2 septets) after 152 plain ones
    // would straddle the boundary, so it moves to the second segment and pushes one septet on.
    const text = 'a'.repeat(152) + '€' + 'a'.repeat(152);
    expect(measureSms(text)).toMatchObject({ units: 306, segments: 3 });
  });

  it('falls back to UCS-2 for a character outside GSM-7', () => {
    expect(measureSms('Hei – snart frist')).toMatchObject({ encoding: 'UCS-2', segments: 1 });
  });

  it('fits 70 UCS-2 units in one segment and 67 per concatenated segment', () => {
    expect(measureSms('ł'.repeat(70)).segments).toBe(1);
    expect(measureSms('ł'.repeat(71)).segments).toBe(2);
    expect(measureSms('ł'.repeat(134)).segments).toBe(2);
    expect(measureSms('ł'.repeat(135)).segments).toBe(3);
  });

  it('counts an emoji as two UCS-2 units and one character, never split', () => {
    expect(measureSms('😀')).toMatchObject({ encoding: 'UCS-2', characters: 1, units: 2 });
    const text = 'x'.repeat(66) + '😀' + 'x'.repeat(66);
    expect(measureSms(text)).toMatchObject({ units: 134, segments: 3 });
  });

  it('measures an empty text as no segments', () => {
    expect(measureSms('')).toMatchObject({ encoding: 'GSM-7', segments: 0 });
  });
});
