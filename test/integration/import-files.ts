/**
 * CSV files as a Norwegian firm's tools write them: Excel's "CSV UTF-8 (kommadelt)" is `;`
 * between fields, a BOM, Windows line ends, dates as dd.mm.yyyy, and quotes around a field
 * that holds a `;`.
 */
export const HEADER = ['Kundenummer', 'Navn', 'E-post', 'Mobil', 'Oppgave-id', 'Tittel', 'Frist', 'Ansvarlig', 'Beskrivelse', 'Mal'];

export type Cells = (string | undefined)[];

/** One good row: customer `c` (of 100), task `i`, every second one with the firm's template. */
export function goodRow(i: number, customers = 100): Cells {
  const c = i % customers;
  return [
    String(10000 + c),
    `Kunde ${c} AS`,
    `kunde${c}@example.no`,
    '',
    `EXT-${i}`,
    `MVA-melding ${i}`,
    '10.02.2027',
    'Kari',
    'Termin 6; husk vedlegg',
    i % 2 ? 'MVA' : '',
  ];
}

/** The twelve bad rows of the 500, by index: what each breaks, as [column, rule]. */
export const BAD_ROWS: Record<number, { cells: (row: Cells) => Cells; column: string; rule: string }> = {
  7: { cells: (r) => with_(r, 2, 'ikke-en-adresse'), column: 'E-post', rule: 'email' },
  41: { cells: (r) => with_(r, 6, '31.02.2027'), column: 'Frist', rule: 'deadline' },
  60: { cells: (r) => with_(r, 5, ''), column: 'Tittel', rule: 'required' },
  99: { cells: (r) => with_(r, 0, ''), column: 'Kundenummer', rule: 'required' },
  123: { cells: (r) => with_(r, 4, 'EXT-122'), column: 'Oppgave-id', rule: 'unique' },
  150: { cells: (r) => with_(r, 3, '12'), column: 'Mobil', rule: 'mobile-number' },
  201: { cells: (r) => with_(r, 8, 'x'.repeat(40_000)), column: 'Beskrivelse', rule: 'max-length' },
  250: { cells: (r) => with_(r, 1, 'N'.repeat(40_000)), column: 'Navn', rule: 'max-length' },
  301: { cells: (r) => [...r, 'en celle for mye'], column: '(row)', rule: 'columns' },
  333: { cells: (r) => with_(r, 4, ''), column: 'Oppgave-id', rule: 'required' },
  401: { cells: (r) => with_(r, 9, 'Finnes ikke'), column: 'templateName', rule: 'exists' },
  450: { cells: (r) => with_(r, 6, '2027-13-01'), column: 'Frist', rule: 'deadline' },
};

function with_(row: Cells, index: number, value: string): Cells {
  return row.map((cell, i) => (i === index ? value : cell));
}

/** The firm's 500-row file with its twelve bad rows. */
export function norwegianExcelFile(rows = 500): string {
  return excelCsv(
    HEADER,
    Array.from({ length: rows }, (_, i) => BAD_ROWS[i]?.cells(goodRow(i)) ?? goodRow(i)),
  );
}

/** The line a row index is on: the header is line 1. */
export const lineOf = (index: number) => index + 2;

export function excelCsv(header: string[], rows: Cells[]): string {
  const field = (cell: string | undefined) => (cell === undefined ? '' : /[;"\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  return `\uFEFF${[header, ...rows].map((row) => row.map(field).join(';')).join('\r\n')}\r\n`;
}
