import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_ROWS, readImportCsv, type ImportFile } from '../../shared/api/import-csv.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const BOM = '\uFEFF';

function rowsOf(file: ImportFile) {
  if (!file.ok) throw new Error(`file refused: ${JSON.stringify(file.issues)}`);
  return file;
}

describe('reading an import file', () => {
  it('reads what Norwegian Excel writes: a BOM, `;`, CRLF, Norwegian headers, dd.mm.yyyy, a comma inside a field', () => {
    const csv = `${BOM}Kundenummer;Navn;E-post;Mobil;Ekstern id;Oppgave;Frist;Mal\r\n10042;Hansen, Per;per@example.no;912 34 567;MVA-2027/1;MVA-melding 1. termin;10.04.2027;MVA\r\n10043;Fjord Bakeri AS;;;;;;\r\n`;
    const { rows, issues } = rowsOf(readImportCsv(utf8(csv)));
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        customer: { customerNumber: '10042', name: 'Hansen, Per', email: 'per@example.no', mobile: '+4791234567', optIn: { email: true, sms: true } },
        task: { externalId: 'MVA-2027/1', fields: { title: 'MVA-melding 1. termin', deadline: '2027-04-10' }, templateName: 'MVA' },
      },
      { line: 3, customer: { customerNumber: '10043', name: 'Fjord Bakeri AS', optIn: { email: true, sms: true } } },
    ]);
  });

  it('reads `,`-separated files with English headers, ISO dates, quoted fields over two lines, and an Excel `sep=` line', () => {
    const csv =
      'orgNumber,name,externalId,title,deadline,description\n974760673,"Fjord, Bakeri",A1,Skattemelding,2027-05-31,"Line one\nline two"\n974760673,Fjord Bakeri,A2,Årsregnskap,2027-07-31,\n';
    const { rows } = rowsOf(readImportCsv(utf8(csv)));
    expect(rows.map((r) => [r.line, r.customer.orgNumber, r.task?.fields])).toEqual([
      [2, '974760673', { title: 'Skattemelding', deadline: '2027-05-31', description: 'Line one\nline two' }],
      [4, '974760673', { title: 'Årsregnskap', deadline: '2027-07-31' }],
    ]);
    const withSep = rowsOf(readImportCsv(utf8(`sep=,\ncustomerNumber,name\n1,"A; B"\n`)));
    expect(withSep.rows).toEqual([{ line: 3, customer: { customerNumber: '1', name: 'A; B', optIn: { email: true, sms: true } } }]);
  });

  it('names the line, the column as written and the rule of every bad row, and keeps the good ones', () => {
    const csv = [
      'Kundenummer;Navn;E-post;Mobil;Ekstern id;Oppgave;Frist',
      '1;Good;;;;;',
      '2;;ikke-epost;;;;', // no name, bad e-mail
      ';No number;;;;;', // no customer number
      '4;Bad task;;;T1;Tittel;31.02.2027', // no such date
      '5;Task without id;;;;Tittel;10.04.2027',
      '6;Twice;;;T2;A;10.04.2027',
      '7;Twice again;;;T2;B;10.04.2027',
      `8;${'x'.repeat(40_000)};;12;;;`,
      '9;Extra;;;;;;surplus',
    ].join('\n');
    const { rows, issues } = rowsOf(readImportCsv(utf8(csv)));
    expect(rows.map((r) => r.line)).toEqual([2, 7]);
    expect(issues.map((i) => [i.line, i.column, i.rule])).toEqual([
      [3, 'Navn', 'required'],
      [3, 'E-post', 'email'],
      [4, 'Kundenummer', 'required'],
      [5, 'Frist', 'deadline'],
      [6, 'Ekstern id', 'required'],
      [8, 'Ekstern id', 'unique'],
      [9, 'Navn', 'max-length'],
      [9, 'Mobil', 'mobile-number'],
      [10, '(row)', 'columns'],
    ]);
    expect(issues.find((i) => i.rule === 'unique')?.message).toBe('is the same as on line 7');
  });

  it('refuses a file it cannot read as a whole, saying why', () => {
    const cases: [Uint8Array, string][] = [
      [new Uint8Array([0x4e, 0x61, 0x76, 0x6e, 0x0a, 0xe6, 0xf8, 0xe5]), 'encoding'], // Windows-1252 æøå
      [utf8('customerNumber;name\n1;"unclosed\n'), 'csv'],
      [utf8(''), 'required'],
      [utf8('Kundenummer;Navn;Farge\n1;A;blå\n'), 'unknown-field'],
      [utf8('Navn;E-post\nA;a@example.no\n'), 'required'],
      [utf8('Kundenummer;Navn;Kundenr\n1;A;1\n'), 'unique'],
      [utf8(`Kundenummer;Navn\n${'1;A\n'.repeat(MAX_IMPORT_ROWS + 1)}`), 'max-items'],
    ];
    for (const [bytes, rule] of cases) {
      const file = readImportCsv(bytes);
      expect(file.ok).toBe(false);
      if (!file.ok) expect(file.issues.map((i) => i.rule)).toContain(rule);
    }
  });
});
