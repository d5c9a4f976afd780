import { parse, CsvError } from 'csv-parse/sync';
import type { FieldIssue } from '../errors.ts';
import { CustomerCreate, type CustomerInput } from './customer.schemas.ts';
import { TaskCreate, type TaskInput } from './task.schemas.ts';
import { toFieldIssues } from './zod-issues.ts';
import * as z from './zod.ts';

/**
 * The CSV file of customers and tasks that `POST /imports` takes, read and checked row by row
 * before anything is written: each row is a customer, and a task of that customer when it has
 * task columns. Norwegian Excel writes `;` and a BOM ("CSV UTF-8"), other tools `,`: the
 * separator is the one of `;` and `,` found more often in the header line outside quotes (or
 * the one an Excel `sep=` line names), never both, so `Hansen, Per` in a `;` file is one field.
 */

/** Rows one import takes: a firm's whole practice at once, and what one job finishes in minutes. */
export const MAX_IMPORT_ROWS = 5000;

/** The columns by the names a header may give them (case and surrounding spaces do not matter). */
const COLUMNS = {
  customerNumber: ['customernumber', 'kundenummer', 'kundenr'],
  orgNumber: ['orgnumber', 'organisasjonsnummer', 'orgnr'],
  name: ['name', 'navn', 'kundenavn'],
  email: ['email', 'e-post', 'epost'],
  mobile: ['mobile', 'mobil', 'mobilnummer'],
  externalId: ['externalid', 'ekstern id', 'ekstern-id', 'oppgave-id'],
  title: ['title', 'tittel', 'oppgave'],
  deadline: ['deadline', 'frist'],
  responsible: ['responsible', 'ansvarlig'],
  description: ['description', 'beskrivelse'],
  templateName: ['templatename', 'mal', 'malnavn'],
} as const;

export type ImportColumn = keyof typeof COLUMNS;
const CUSTOMER_COLUMNS = ['customerNumber', 'orgNumber', 'name', 'email', 'mobile'] as const;
const TASK_COLUMNS = ['externalId', 'title', 'deadline', 'responsible', 'description', 'templateName'] as const;

/** What a task row brings: the task's own fields, the id that finds it again, and the template whose notices it gets. */
export interface ImportTask {
  externalId: string;
  fields: Pick<TaskInput, 'title' | 'deadline' | 'responsible' | 'description'>;
  templateName?: string;
}

export interface ImportRow {
  /** The file's line the row starts on (the header is line 1). */
  line: number;
  customer: CustomerInput;
  task?: ImportTask;
}

/** A row the import leaves out: where it is (line, the column's header as written) and the rule it breaks. */
export interface RowIssue {
  line: number;
  column: string;
  rule: string;
  message: string;
}

export type ImportFile = { ok: true; rows: ImportRow[]; issues: RowIssue[] } | { ok: false; issues: FieldIssue[] };

/** Reads the file: every good row, and every bad one with its line, column and rule; or why the file as a whole cannot be read. */
export function readImportCsv(bytes: Uint8Array): ImportFile {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return fileIssue('encoding', 'is not UTF-8: save it from Excel as "CSV UTF-8 (kommadelt)"');
  }
  // A NUL is no text: it breaks stores and mail (as a JSON body's NUL is refused).
  if (text.includes('\u0000')) return fileIssue('text', 'must be text: it holds a NUL character');
  const { delimiter, skipLines } = separatorOf(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes with the line it ends on (csv-parse's types do not say so).
    records = parse(text, { delimiter, from_line: 1 + skipLines, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) return fileIssue('csv', `cannot be read as CSV: ${error.message}`);
    throw error;
  }
  const [header, ...body] = records.map(({ record, info }) => ({ fields: record, line: startLine(info.lines, record) }));
  if (!header) return fileIssue('required', 'is empty: the first line names the columns');
  const columns = readHeader(header.fields);
  if (!columns.ok) return { ok: false, issues: columns.issues };
  if (body.length > MAX_IMPORT_ROWS) return fileIssue('max-items', `has ${body.length} rows; one import takes at most ${MAX_IMPORT_ROWS}`);

  const rows: ImportRow[] = [];
  const issues: RowIssue[] = [];
  const seenExternalIds = new Map<string, number>();
  for (const { fields, line } of body) {
    const read = readRow(columns.names, header.fields, fields, line);
    if (!read.ok) {
      issues.push(...read.issues);
      continue;
    }
    const externalId = read.row.task?.externalId;
    const firstLine = externalId === undefined ? undefined : seenExternalIds.get(externalId);
    if (firstLine !== undefined) {
      issues.push({ line, column: columns.headerOf.externalId ?? 'externalId', rule: 'unique', message: `is the same as on line ${firstLine}` });
      continue;
    }
    if (externalId !== undefined) seenExternalIds.set(externalId, line);
    rows.push(read.row);
  }
  return { ok: true, rows, issues };
}

function fileIssue(rule: string, message: string): ImportFile {
  return { ok: false, issues: [{ field: '(file)', rule, message }] };
}

/** `;` or `,`: an Excel `sep=` first line says which, else the one the header line has more of outside quotes. */
function separatorOf(text: string): { delimiter: string; skipLines: number } {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const named = /^sep=(.)$/i.exec(firstLine);
  if (named?.[1]) return { delimiter: named[1], skipLines: 1 };
  const outsideQuotes = firstLine.replace(/"[^"]*"/g, '');
  const count = (c: string) => outsideQuotes.split(c).length - 1;
  return { delimiter: count(';') >= count(',') && count(';') > 0 ? ';' : ',', skipLines: 0 };
}

/** csv-parse counts the line a record ends on; a quoted field may span lines. */
function startLine(endLine: number, fields: string[]): number {
  return endLine - fields.reduce((lines, field) => lines + field.split('\n').length - 1, 0);
}

type Header = { ok: true; names: (ImportColumn | undefined)[]; headerOf: Partial<Record<ImportColumn, string>> } | { ok: false; issues: FieldIssue[] };

/**
 * Named columns a header may have: every known column under one name, and room for the
 * firm's own columns the import leaves out. Each one beyond is refused with a problem of its
 * own, so without a bound a 2 MiB header of a million columns made a problem of hundreds of
 * megabytes, more than a Lambda may answer.
 */
const MAX_HEADER_COLUMNS = 64;

function readHeader(fields: string[]): Header {
  const named = fields.filter((field) => field.trim()).length;
  if (named > MAX_HEADER_COLUMNS) {
    const message = `names ${named} columns; an import reads at most ${MAX_HEADER_COLUMNS}, and knows ${knownColumns()}`;
    return { ok: false, issues: [{ field: '(header)', rule: 'max-items', message }] };
  }
  const byAlias = new Map<string, ImportColumn>(
    Object.entries(COLUMNS).flatMap(([column, aliases]) => aliases.map((alias) => [alias, column as ImportColumn])),
  );
  const issues: FieldIssue[] = [];
  const headerOf: Partial<Record<ImportColumn, string>> = {};
  const names = fields.map((field, index) => {
    const written = field.trim();
    const name = byAlias.get(written.toLowerCase());
    const where = `(header).${index + 1}`;
    if (!name) {
      if (written)
        issues.push({ field: where, rule: 'unknown-field', message: `"${written.slice(0, 40)}" is not a column an import knows: ${knownColumns()}` });
      return undefined;
    }
    if (headerOf[name]) issues.push({ field: where, rule: 'unique', message: `"${written}" names the same column as "${headerOf[name]}"` });
    headerOf[name] = written;
    return name;
  });
  if (!headerOf.name) issues.push({ field: '(header)', rule: 'required', message: 'has no name column (name or navn)' });
  if (!headerOf.customerNumber && !headerOf.orgNumber) {
    issues.push({
      field: '(header)',
      rule: 'required',
      message: 'has neither a customer number nor an organisation number column: one of them finds the customer again',
    });
  }
  if (headerOf.title && !headerOf.externalId) {
    issues.push({
      field: '(header)',
      rule: 'required',
      message: 'has task columns but no externalId column: it finds the task again when the file is imported again',
    });
  }
  return issues.length ? { ok: false, issues } : { ok: true, names, headerOf };
}

function knownColumns(): string {
  return Object.values(COLUMNS)
    .map((aliases) => aliases.join('/'))
    .join(', ');
}

/** One row's values by column (an empty cell is no value), checked with the API's own rules. */
function readRow(
  names: (ImportColumn | undefined)[],
  header: string[],
  fields: string[],
  line: number,
): { ok: true; row: ImportRow } | { ok: false; issues: RowIssue[] } {
  const issue = (column: ImportColumn | undefined, rule: string, message: string): RowIssue => ({
    line,
    column: column ? (header[names.indexOf(column)] ?? column).trim() : '(row)',
    rule,
    message,
  });
  if (fields.length > header.length && fields.slice(header.length).some((f) => f.trim())) {
    return { ok: false, issues: [issue(undefined, 'columns', `has ${fields.length} fields; the header names ${header.length}`)] };
  }
  const value: Partial<Record<ImportColumn, string>> = {};
  names.forEach((name, index) => {
    const cell = fields[index]?.trim();
    if (name && cell) value[name] = cell;
  });

  const issues: RowIssue[] = [];
  const customerFields = Object.fromEntries(CUSTOMER_COLUMNS.filter((c) => value[c] !== undefined).map((c) => [c, value[c]]));
  const customer = CustomerCreate.safeParse(customerFields, { reportInput: true });
  if (!customer.success) issues.push(...toFieldIssues(customer.error).map((i) => issue(i.field as ImportColumn, i.rule, i.message)));
  if (!value.customerNumber && !value.orgNumber)
    issues.push(issue('customerNumber', 'required', 'a customer number or an organisation number finds the customer'));

  let task: ImportTask | undefined;
  if (TASK_COLUMNS.some((c) => value[c] !== undefined)) {
    const deadline = value.deadline === undefined ? undefined : isoDeadline(value.deadline);
    const fields = { title: value.title, deadline, responsible: value.responsible, description: value.description };
    const parsed = TaskCreate.safeParse({ ...fields, customerId: 'import' }, { reportInput: true });
    if (!parsed.success) issues.push(...toFieldIssues(parsed.error).map((i) => issue(i.field as ImportColumn, i.rule, i.message)));
    const externalId = ExternalId.safeParse(value.externalId, { reportInput: true });
    if (!externalId.success) issues.push(...toFieldIssues(externalId.error, 'externalId').map((i) => issue('externalId', i.rule, i.message)));
    const templateName = value.templateName;
    if (templateName !== undefined && templateName.length > 200) issues.push(issue('templateName', 'max-length', 'must be at most 200 characters'));
    if (parsed.success && externalId.success) {
      const { title, deadline: parsedDeadline, responsible, description } = parsed.data;
      task = {
        externalId: externalId.data,
        fields: {
          title,
          ...(parsedDeadline ? { deadline: parsedDeadline } : {}),
          ...(responsible ? { responsible } : {}),
          ...(description ? { description } : {}),
        },
        ...(templateName ? { templateName } : {}),
      };
    }
  }
  if (issues.length || !customer.success) return { ok: false, issues };
  return { ok: true, row: { line, customer: customer.data, ...(task ? { task } : {}) } };
}

/** The id another system gives the task: any printable text, as long as a reference usually is. */
const ExternalId = z
  .string({ error: 'is required on a row with a task: it finds the task again when the file is imported again' })
  .max(64)
  .regex(/^[^\p{Cc}]+$/u, { error: 'must be printable text' });

/** `dd.mm.yyyy` (as Norwegian Excel writes a date) as ISO; anything else is left for the API's own deadline rule to judge. */
function isoDeadline(text: string): string {
  const norwegian = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  if (!norwegian) return text;
  const [, day, month, year] = norwegian as unknown as [string, string, string, string];
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}
