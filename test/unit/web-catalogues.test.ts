import { describe, expect, it } from 'vitest';
import { en } from '../../web/src/lib/i18n/en.ts';
import { nb } from '../../web/src/lib/i18n/nb.ts';
import { ruleCodesInCode, ruleCodesInDocs } from './rule-codes.ts';

/** Every text path of a catalogue (`tasks.register.title`), with its text. */
function texts(catalogue: object, prefix = ''): Map<string, string> {
  const result = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    if (typeof value === 'string') result.set(`${prefix}${key}`, value);
    else for (const [path, text] of texts(value as object, `${prefix}${key}.`)) result.set(path, text);
  }
  return result;
}

describe('the web app catalogues', () => {
  it('have a bokmål and an English text for every rule code the API can send', () => {
    const codes = [...new Set([...ruleCodesInCode(), ...ruleCodesInDocs()])].sort();
    expect(codes.length).toBeGreaterThan(30);
    const missing = codes.flatMap((code) => [
      ...(nb.rules[code as keyof typeof nb.rules] ? [] : [`nb ${code}`]),
      ...(en.rules[code as keyof typeof en.rules] ? [] : [`en ${code}`]),
    ]);
    expect(missing).toEqual([]);
  });

  it('have no text for a rule code the API does not know', () => {
    const known = new Set([...ruleCodesInCode(), ...ruleCodesInDocs()]);
    expect(Object.keys(nb.rules).filter((code) => !known.has(code))).toEqual([]);
  });

  it('have the same keys, none empty, and the same {{values}} in both languages', () => {
    const bokmal = texts(nb);
    const english = texts(en);
    expect([...english.keys()].sort()).toEqual([...bokmal.keys()].sort());
    const values = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [path, text] of bokmal) {
      expect(text.trim(), path).not.toBe('');
      expect(values(english.get(path)!), path).toEqual(values(text));
    }
  });
});
