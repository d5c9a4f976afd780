/**
 * Merge codes: `{{customer.name}}`-style placeholders in a notice's subject and message,
 * filled in for the task's customer when the notice is rendered. One catalogue serves the
 * API (`GET /merge-codes`), validation at save and rendering at send.
 */

export interface MergeValues {
  customer: { name: string; email?: string; mobile?: string; orgNumber?: string; number?: string };
  task: { title: string; deadline: string; responsible?: string; description?: string; daysLeft?: string; daysOverdue?: string };
  firm: { name?: string; email?: string; phone?: string };
}

export interface MergeCode {
  code: string;
  /** The same code in Norwegian (`{{kunde.navn}}`): accepted everywhere the code is. */
  alias: string;
  description: { nb: string; en: string };
  example: string;
  value: (values: MergeValues) => string | undefined;
}

export const MERGE_CODES: readonly MergeCode[] = [
  {
    code: 'customer.name',
    alias: 'kunde.navn',
    description: { nb: 'Kundens navn', en: "The customer's name" },
    example: 'Fjord Bakeri AS',
    value: (v) => v.customer.name,
  },
  {
    code: 'customer.email',
    alias: 'kunde.epost',
    description: { nb: 'Kundens e-postadresse', en: "The customer's e-mail address" },
    example: 'post@fjordbakeri.no',
    value: (v) => v.customer.email,
  },
  {
    code: 'customer.mobile',
    alias: 'kunde.mobil',
    description: { nb: 'Kundens mobilnummer', en: "The customer's mobile number" },
    example: '912 34 567',
    value: (v) => v.customer.mobile,
  },
  {
    code: 'customer.orgNumber',
    alias: 'kunde.orgnr',
    description: { nb: 'Kundens organisasjonsnummer', en: "The customer's organisation number" },
    example: '974760673',
    value: (v) => v.customer.orgNumber,
  },
  {
    code: 'customer.number',
    alias: 'kunde.kundenr',
    description: { nb: 'Kundenummeret hos byrået', en: "The firm's customer number" },
    example: '10042',
    value: (v) => v.customer.number,
  },
  {
    code: 'task.title',
    alias: 'oppgave.tittel',
    description: { nb: 'Oppgavens tittel', en: "The task's title" },
    example: 'MVA-melding 6. termin',
    value: (v) => v.task.title,
  },
  {
    code: 'task.deadline',
    alias: 'oppgave.frist',
    description: {
      nb: 'Oppgavens frist (dd.mm.åååå, med klokkeslett når fristen har det)',
      en: "The task's deadline (dd.mm.yyyy, with the time when the deadline has one)",
    },
    example: '10.02.2027',
    value: (v) => v.task.deadline,
  },
  {
    code: 'task.daysLeft',
    alias: 'oppgave.dagerIgjen',
    description: { nb: 'Dager igjen til fristen (0 på fristdagen og etter)', en: 'Days left until the deadline (0 on the day and after)' },
    example: '3',
    value: (v) => v.task.daysLeft,
  },
  {
    code: 'task.daysOverdue',
    alias: 'oppgave.dagerOver',
    description: { nb: 'Dager siden fristen (0 til og med fristdagen)', en: 'Days since the deadline (0 up to and on the day)' },
    example: '2',
    value: (v) => v.task.daysOverdue,
  },
  {
    code: 'task.responsible',
    alias: 'oppgave.ansvarlig',
    description: { nb: 'Ansvarlig for oppgaven', en: 'The person responsible for the task' },
    example: 'Kari Nordmann',
    value: (v) => v.task.responsible,
  },
  {
    code: 'task.description',
    alias: 'oppgave.beskrivelse',
    description: { nb: 'Oppgavens beskrivelse', en: "The task's description" },
    example: 'Husk å sende bilag for desember.',
    value: (v) => v.task.description,
  },
  {
    code: 'firm.name',
    alias: 'firma.navn',
    description: { nb: 'Regnskapsbyråets navn', en: "The accounting firm's name" },
    example: 'Tall og Tid Regnskap AS',
    value: (v) => v.firm.name,
  },
  {
    code: 'firm.email',
    alias: 'firma.epost',
    description: { nb: 'Regnskapsbyråets e-postadresse', en: "The accounting firm's e-mail address" },
    example: 'post@tallogtid.no',
    value: (v) => v.firm.email,
  },
  {
    code: 'firm.phone',
    alias: 'firma.telefon',
    description: { nb: 'Regnskapsbyråets telefonnummer', en: "The accounting firm's phone number" },
    example: '22 33 44 55',
    value: (v) => v.firm.phone,
  },
];

const BY_CODE = new Map(MERGE_CODES.flatMap((c) => [[c.code, c] as const, [c.alias, c] as const]));

/** `{{ code }}`; blanks inside the braces are allowed. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export type MergeCodeProblem = { kind: 'unknown'; code: string } | { kind: 'unclosed'; at: number };

/** Every problem in a template: unknown codes (named) and `{{` without a matching `}}`. */
export function findMergeCodeProblems(template: string): MergeCodeProblem[] {
  const problems: MergeCodeProblem[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const code = match[1] ?? '';
    if (!BY_CODE.has(code)) problems.push({ kind: 'unknown', code });
  }
  const leftover = template.replace(PLACEHOLDER, '');
  const open = leftover.indexOf('{{');
  if (open >= 0) problems.push({ kind: 'unclosed', at: open });
  return problems;
}

export function describeMergeCodeProblem(problem: MergeCodeProblem): string {
  return problem.kind === 'unknown'
    ? `unknown merge code {{${problem.code}}}; GET /merge-codes lists the known ones`
    : 'a merge code opened with {{ is not closed with }}';
}

/**
 * Fills in the codes of a template that passed findMergeCodeProblems. A code without a
 * value (a customer without a mobile) becomes the empty string. `escape` is applied to each
 * value, not to the template: HTML mail passes an HTML escaper.
 */
export function renderTemplate(template: string, values: MergeValues, escape: (value: string) => string = (value) => value): string {
  return template.replace(PLACEHOLDER, (_whole, code: string) => escape(BY_CODE.get(code)?.value(values) ?? ''));
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A plain-text template as HTML: text and values escaped, line breaks kept. */
export function renderHtml(template: string, values: MergeValues): string {
  return renderTemplate(escapeHtml(template), values, escapeHtml).replace(/\n/g, '<br>\n');
}

/** The known codes a template uses, by their English names (`{{kunde.mobil}}` is `customer.mobile`). */
export function usedMergeCodes(template: string): Set<string> {
  return new Set([...template.matchAll(PLACEHOLDER)].flatMap((m) => BY_CODE.get(m[1] ?? '')?.code ?? []));
}

/** The codes of a template (as written, alias or not) that come out empty for these values. */
export function emptyMergeCodes(template: string, values: MergeValues): string[] {
  const empty = [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').filter((code) => !BY_CODE.get(code)?.value(values));
  return [...new Set(empty)];
}
