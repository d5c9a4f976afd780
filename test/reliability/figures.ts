import type { ReliabilityStack } from './reliability-stack.ts';

/**
 * What became of a case's notices, counted on both sides: the delivery records the firm
 * reads, and what the SES and SMS stand-ins actually received.
 */
export interface Figures {
  case: string;
  /** Occurrence-channels whose time came. */
  due: number;
  sent: number;
  skipped: number;
  failed: number;
  /** Due but not final at the end: must be 0. */
  lost: number;
  /** Copies the provider received beyond the first. */
  duplicated: number;
  /** Of those, how many the delivery record flags `possibleDuplicate`. */
  flagged: number;
  /** Flagged though the provider has one copy only (a conservative flag after a crash). */
  flaggedSingle: number;
  note?: string;
}

interface DeliveryItem {
  channel: 'email' | 'sms';
  state: 'pending' | 'sent' | 'skipped' | 'failed';
  possibleDuplicate?: boolean;
}

/** Counts the notices of tasks (each with a unique title) at the end of a case. */
export async function figuresOf(stack: ReliabilityStack, name: string, tasks: { id: string; title: string }[], note?: string): Promise<Figures> {
  const outbox = await stack.outbox();
  const figures: Figures = {
    case: name,
    due: 0,
    sent: 0,
    skipped: 0,
    failed: 0,
    lost: 0,
    duplicated: 0,
    flagged: 0,
    flaggedSingle: 0,
    ...(note ? { note } : {}),
  };
  for (const task of tasks) {
    const items = await deliveriesOf(stack, task.id);
    for (const item of items) {
      figures.due += 1;
      if (item.state === 'pending') figures.lost += 1;
      else figures[item.state] += 1;
      const received =
        item.channel === 'email'
          ? outbox.emails.filter((e) => e.subject === `Frist: ${task.title}`).length
          : outbox.sms.filter((m) => m.text === `Husk ${task.title}.`).length;
      figures.duplicated += Math.max(0, received - 1);
      if (received > 1 && item.possibleDuplicate) figures.flagged += received - 1;
      if (received === 1 && item.possibleDuplicate) figures.flaggedSingle += 1;
    }
  }
  return figures;
}

async function deliveriesOf(stack: ReliabilityStack, taskId: string): Promise<DeliveryItem[]> {
  const response = await stack.api.get(`/tasks/${taskId}/deliveries`);
  if (response.status === 200) return response.body.items;
  // A deleted task: its records stay in the table.
  const records = await stack.ports.store.listDeliveries('firm-reliability', taskId);
  return records.map((d) => ({
    channel: d.channel as 'email' | 'sms',
    state: d.state === 'claimed' || d.state === 'retrying' ? 'pending' : d.state,
    ...(d.possibleDuplicate ? { possibleDuplicate: true } : {}),
  }));
}

/** A unique title per task, never a prefix of another's. */
export function titleFor(kase: string, i: number): string {
  return `${kase} #${i} ${Math.random().toString(36).slice(2, 8)}`;
}
