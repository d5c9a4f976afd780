import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { LOCAL_CREDENTIALS } from '../local/local-dynamodb.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../local/local-stack.ts';
import { DynamoDbStore } from '../shared/adapters/dynamodb-store.ts';
import { createDynamoDbClient } from '../shared/adapters/dynamodb-client.ts';
import type { Task } from '../shared/domain/model.ts';
import { getSettings } from '../shared/use-cases/settings.ts';
import { makePlan } from '../shared/use-cases/task-plan.ts';

/**
 * What the scale benches share: a fresh local stack with a store that writes straight to the
 * DynamoDB stand-in (past any meter in front of it), and the write of many tasks through the
 * store adapter's own `putTask`, planned by the use cases' `makePlan`: the items and their
 * index keys are those a save writes. Only the Scheduler calls of a save are left out: the
 * benches say where that matters.
 */
export interface ScaleStack {
  stack: LocalStack;
  /** The store adapter over the stand-in itself, for seeding (no meter, no recorded calls). */
  seed: DynamoDbStore;
}

export async function withScaleStack<T>(options: Omit<LocalStackOptions, 'dataDir'>, work: (scale: ScaleStack) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(join(os.tmpdir(), 'frist-bench-scale-'));
  let direct = '';
  const front = options.frontDynamoDb;
  const stack = await startLocalStack({
    ...options,
    dataDir,
    env: { LOG_LEVEL: 'SILENT' },
    frontDynamoDb: async (endpoint) => ((direct = endpoint), front ? front(endpoint) : endpoint),
  });
  try {
    const db = createDynamoDbClient({ endpoint: direct, region: stack.config.AWS_REGION, credentials: LOCAL_CREDENTIALS });
    return await work({ stack, seed: new DynamoDbStore(db, stack.config.TABLE_NAME) });
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** How one seeded task differs from the model task it copies. */
export type TaskShape = Pick<Task, 'customerId' | 'deadline' | 'status' | 'notices'> & { title: string };

/**
 * Writes `count` tasks, the n-th shaped by `shape(n)` from `model` (a task saved through the
 * API), planned at `now` as a save plans it, `width` writes at a time; each with its warning
 * mark complete, as a create leaves it, unless `attentionMarks` is false (the reconciler never
 * reads them). Returns the ids in order.
 */
export async function seedTasks(
  { stack, seed }: ScaleStack,
  tenantId: string,
  model: Task,
  count: number,
  shape: (n: number) => TaskShape,
  options: { now: Date; schedulesConfirmed: boolean; attentionMarks?: boolean; width?: number },
): Promise<string[]> {
  const settings = await getSettings(stack.ports, tenantId);
  const ids = Array.from({ length: count }, () => stack.ports.ids.newId());
  const write = async (n: number) => {
    const fields = shape(n);
    const task: Task = {
      ...model,
      ...fields,
      id: ids[n]!,
      plan: makePlan(fields, undefined, fields.status, settings, options.now, 1),
      ...(fields.status === 'completed' ? { completedAt: options.now.toISOString() } : {}),
    };
    await seed.putTask(tenantId, task, undefined, options.schedulesConfirmed ? { schedulesConfirmed: 'made' } : {});
    if (options.attentionMarks !== false) await seed.markAttentionComplete(tenantId, task.id);
  };
  const width = options.width ?? 32;
  for (let n = 0; n < count; n += width) await Promise.all(Array.from({ length: Math.min(width, count - n) }, (_, j) => write(n + j)));
  return ids;
}
