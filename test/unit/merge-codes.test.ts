import { describe, expect, it } from 'vitest';
import { escapeHtml, findMergeCodeProblems, MERGE_CODES, renderTemplate, type MergeValues } from '../../shared/domain/merge-codes.ts';

const values: MergeValues = {
  customer: { name: 'Bølgen & Co <AS>', email: 'post@bolgen.no' },
  task: { title: 'MVA-melding', deadline: '10.02.2027' },
  firm: { name: 'Tall og Tid' },
};

describe('merge codes', () => {
  it('accepts every code of the catalogue, with or without blanks inside the braces', () => {
    const template = MERGE_CODES.map((c, i) => (i % 2 ? `{{${c.code}}}` : `{{ ${c.code} }}`)).join(' ');
    expect(findMergeCodeProblems(template)).toEqual([]);
  });

  it('names an unknown code', () => {
    expect(findMergeCodeProblems('Hei {{customer.name}}, {{kunde.navn}}, {{kunde.nvan}}')).toEqual([{ kind: 'unknown', code: 'kunde.nvan' }]);
  });

  it('finds a code that is opened but never closed', () => {
    expect(findMergeCodeProblems('Hei {{customer.name')).toEqual([{ kind: 'unclosed', at: 4 }]);
  });

  it('fills in the values', () => {
    expect(renderTemplate('Hei {{ customer.name }}, frist {{task.deadline}}. {{firm.name}}', values)).toBe(
      'Hei Bølgen & Co <AS>, frist 10.02.2027. Tall og Tid',
    );
  });

  it('leaves a code without a value empty', () => {
    expect(renderTemplate('[{{customer.mobile}}]', values)).toBe('[]');
  });

  it('escapes the values, not the template, for HTML', () => {
    expect(renderTemplate('<b>{{customer.name}}</b>', values, escapeHtml)).toBe('<b>Bølgen &#38; Co &#60;AS&#62;</b>');
  });

  it('has a Norwegian and English description and an example for each code', () => {
    for (const code of MERGE_CODES) {
      expect(code.description.nb.length).toBeGreaterThan(0);
      expect(code.description.en.length).toBeGreaterThan(0);
      expect(code.example.length).toBeGreaterThan(0);
    }
  });
});
