import { outcomeKey, type Outcome } from '../domain/attention.ts';
import type { Channel } from '../domain/model.ts';
import { DynamoTable } from './dynamodb-table.ts';
import { keys } from './table-layout.ts';

/**
 * The register's warning mark, kept per task in an item of its own (`AM#taskId`): the latest
 * final outcome of each channel, which is all shared/domain/attention.ts needs. A page of the
 * register reads these items by key with its customers, instead of a query of delivery
 * records per row. A task save writes the task item whole (PutItem), so the mark lives beside
 * it, never in it: a save cannot erase an outcome noted meanwhile.
 *
 * Each channel's entry is a maximum: it is replaced only by an outcome with a greater key
 * (later occurrence, or a later change of the same one), a condition DynamoDB checks on the
 * single item. So outcomes noted in any order, twice, or by a rebuild from the delivery
 * records racing a send, all end at the latest; a late event cannot clear a newer failure.
 *
 * `complete` says the entries cover every delivery of the task: set when the task is created
 * (it has none yet) or by the rebuild (attention-marks-backfill.ts). A task without it (saved
 * before marks existed) has its mark read from its delivery records.
 */
export class AttentionMarks {
  constructor(private readonly table: DynamoTable) {}

  /** Notes a final outcome; false when the mark holds a later one already (or this one). */
  note(tenantId: string, taskId: string, outcome: Outcome): Promise<boolean> {
    const { channel, ...entry } = outcome;
    return this.table.updateIf({
      Key: { pk: keys.tenant(tenantId), sk: keys.attentionMark(taskId) },
      UpdateExpression: 'SET #channel = :entry, entity = :entity',
      ConditionExpression: 'attribute_not_exists(#channel) OR #channel.#key < :key',
      ExpressionAttributeNames: { '#channel': channel, '#key': 'key' },
      ExpressionAttributeValues: { ':entry': { ...entry, key: outcomeKey(outcome) }, ':key': outcomeKey(outcome), ':entity': 'attention-mark' },
    });
  }

  /** Says that the entries now cover every delivery of the task. */
  async markComplete(tenantId: string, taskId: string): Promise<void> {
    await this.table.updateIf({
      Key: { pk: keys.tenant(tenantId), sk: keys.attentionMark(taskId) },
      UpdateExpression: 'SET complete = :yes, entity = :entity',
      ExpressionAttributeValues: { ':yes': true, ':entity': 'attention-mark' },
    });
  }

  /** Says that the entries may miss an outcome (a note failed): the register reads the delivery records instead. */
  async distrust(tenantId: string, taskId: string): Promise<void> {
    await this.table.updateIf({
      Key: { pk: keys.tenant(tenantId), sk: keys.attentionMark(taskId) },
      UpdateExpression: 'REMOVE complete',
    });
  }

  /** The keys of the tasks' marks, for a read by key beside other items (DynamoDbStore.registerDetails). */
  keysOf(tenantId: string, taskIds: string[]): { pk: string; sk: string }[] {
    return taskIds.map((id) => ({ pk: keys.tenant(tenantId), sk: keys.attentionMark(id) }));
  }
}

/**
 * The latest outcomes of each task whose mark is complete, from items read by key; a task
 * missing from the map has none that can be trusted.
 */
export function marksFrom(items: Record<string, unknown>[]): Map<string, Outcome[]> {
  const marks = new Map<string, Outcome[]>();
  for (const item of items) {
    if (item.entity !== 'attention-mark' || item.complete !== true) continue;
    const taskId = String(item.sk).slice(keys.attentionMark('').length);
    marks.set(
      taskId,
      CHANNELS.flatMap((channel) => (item[channel] ? [outcomeFrom(channel, item[channel] as Record<string, unknown>)] : [])),
    );
  }
  return marks;
}

const CHANNELS: Channel[] = ['email', 'sms'];

function outcomeFrom(channel: Channel, entry: Record<string, unknown>): Outcome {
  const { key: _key, ...rest } = entry;
  return { channel, ...(rest as Omit<Outcome, 'channel'>) };
}
