import { emptyMergeCodes, MERGE_CODES, renderHtml, renderTemplate, type MergeValues } from '../domain/merge-codes.ts';
import { mergeValuesFor } from '../domain/merge-values.ts';
import { formatPhoneForReaders } from '../domain/phone.ts';
import type { PreviewInput, PreviewView } from '../api/preview.schemas.ts';
import { withOptOutLine } from '../domain/notice-limits.ts';
import { measureSms } from '../domain/sms-encoding.ts';
import { NotFoundError } from '../errors.ts';
import type { Ports } from '../ports.ts';
import { getSettings } from './settings.ts';
import { getTask } from './tasks.ts';

/** The values of the catalogue's examples, for a preview without a task. */
function exampleValues(): MergeValues {
  const example = (code: string) => MERGE_CODES.find((c) => c.code === code)?.example ?? '';
  return {
    customer: {
      name: example('customer.name'),
      email: example('customer.email'),
      mobile: example('customer.mobile'),
      orgNumber: example('customer.orgNumber'),
      number: example('customer.number'),
    },
    task: {
      title: example('task.title'),
      deadline: example('task.deadline'),
      responsible: example('task.responsible'),
      description: example('task.description'),
      daysLeft: example('task.daysLeft'),
      daysOverdue: example('task.daysOverdue'),
    },
    firm: { name: example('firm.name'), email: example('firm.email'), phone: example('firm.phone') },
  };
}

/**
 * Renders a notice text as it would go out: for a task's customer when a task is named
 * (and, with noticeId, that saved notice's own text), else with the catalogue's examples.
 */
export async function previewNotice(ports: Ports, tenantId: string, input: PreviewInput): Promise<PreviewView> {
  let values = exampleValues();
  let subject = input.subject;
  let message = input.message ?? '';
  const settings = await getSettings(ports, tenantId);
  if (input.taskId) {
    const task = await getTask(ports, tenantId, input.taskId);
    const customer = await ports.store.getCustomer(tenantId, task.customerId);
    if (!customer) throw new NotFoundError(`the task's customer ${task.customerId} no longer exists`);
    values = mergeValuesFor(task, customer, settings, ports.clock.now(), formatPhoneForReaders);
    if (input.noticeId) {
      const notice = task.notices.find((n) => n.id === input.noticeId);
      if (!notice) throw new NotFoundError(`no notice ${input.noticeId} on task ${task.id}`);
      subject = notice.subject;
      message = notice.message;
    }
  }
  const text = renderTemplate(message, values);
  if (input.channel === 'sms') {
    // As it goes out: with the firm's opt-out line, counted in the segments.
    const sms = withOptOutLine(text, settings.smsOptOutLine);
    const measure = measureSms(sms);
    const maxSegments = ports.limits.smsMaxSegments;
    return {
      channel: 'sms',
      text: sms,
      sms: { ...measure, maxSegments, withinLimit: measure.segments <= maxSegments },
      emptyCodes: emptyMergeCodes(message, values),
    };
  }
  return {
    channel: 'email',
    subject: subject === undefined ? undefined : renderTemplate(subject, values),
    text,
    html: renderHtml(message, values),
    emptyCodes: emptyMergeCodes(`${subject ?? ''}\n${message}`, values),
  };
}
