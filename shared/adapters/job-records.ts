import { isActive, problemKey, type Job, type JobProblem } from '../domain/job.ts';
import type { Page } from '../domain/model.ts';
import { ConflictError } from '../errors.ts';
import { DynamoTable, strip } from './dynamodb-table.ts';
import { keys, TABLE } from './table-layout.ts';

/**
 * Job items (shared/domain/job.ts), one per job under the tenant's partition. Every write
 * replaces the whole item: an active job carries its due index entry (partition `JOBS`, sorted by
 * when it last moved), and so does an ended one until its `job.finished` is published
 * (markAnnounced drops it), so the reconciler's look finds the jobs that stopped moving and
 * the ends a crash kept from being told.
 */
export class JobRecords {
  constructor(private readonly table: DynamoTable) {}

  async create(tenantId: string, job: Job): Promise<void> {
    const created = await this.table.putIf({ Item: this.item(tenantId, job), ConditionExpression: 'attribute_not_exists(pk)' });
    if (!created) throw new ConflictError(`a job ${job.id} exists already`);
  }

  get(tenantId: string, id: string): Promise<Job | undefined> {
    return this.table.get<Job>(keys.tenant(tenantId), keys.job(id));
  }

  /**
   * Writes the job only if it is still active at the step its writer read: of two workers
   * holding the same step (a duplicate message), the second loses instead of counting twice.
   */
  save(tenantId: string, job: Job, readStep: number): Promise<boolean> {
    return this.table.putIf({
      Item: this.item(tenantId, job),
      ConditionExpression: '#step = :read AND #state IN (:queued, :running)',
      ExpressionAttributeNames: { '#step': 'step', '#state': 'state' },
      ExpressionAttributeValues: { ':read': readStep, ':queued': 'queued', ':running': 'running' },
    });
  }

  async markAnnounced(tenantId: string, id: string): Promise<void> {
    await this.table.updateIf({
      Key: { pk: keys.tenant(tenantId), sk: keys.job(id) },
      UpdateExpression: 'SET announced = :yes REMOVE gsi4pk, gsi4sk',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':yes': true },
    });
  }

  /** The due index projects what the reconciler needs of a task, not a job: the jobs are read by key. */
  async stalled(before: string): Promise<{ tenantId: string; job: Job }[]> {
    const index = TABLE.indexes.due;
    const entries = await this.table.all({
      IndexName: index.name,
      KeyConditionExpression: `${index.partitionKey} = :pk AND ${index.sortKey} < :before`,
      ExpressionAttributeValues: { ':pk': keys.activeJobs(), ':before': before },
      ProjectionExpression: 'pk, sk',
    });
    const items = entries.length ? await this.table.getMany(entries.map((entry) => ({ pk: entry.pk, sk: entry.sk }))) : [];
    return items.map((item) => ({ tenantId: String(item.pk).slice(2), job: strip<Job>(item) }));
  }

  /**
   * Writes one part of a job's input, before the job is created: a job item names only the
   * count of its parts, so it stays small whatever the input (5,000 task ids are about
   * 100 KB; a DynamoDB item takes at most 400 KB, and each step rewrites the job item).
   * Written again by a retry, the same.
   */
  async putPart(tenantId: string, jobId: string, part: number, values: string[]): Promise<void> {
    await this.table.putIf({ Item: { pk: keys.tenant(tenantId), sk: keys.jobPart(jobId, part), entity: 'job-part', values } });
  }

  async part(tenantId: string, jobId: string, part: number): Promise<string[] | undefined> {
    return (await this.table.get<{ values: string[] }>(keys.tenant(tenantId), keys.jobPart(jobId, part)))?.values;
  }

  /** One item per task (or per row and index): a step taken again writes the same item again, so a problem is never listed twice. */
  async putProblem(tenantId: string, jobId: string, problem: JobProblem, index?: number): Promise<void> {
    const sk = `${keys.jobProblems(jobId)}${problemKey(problem, index)}`;
    await this.table.putIf({ Item: { pk: keys.tenant(tenantId), sk, entity: 'job-problem', ...problem } });
  }

  problems(tenantId: string, jobId: string, page: { limit: number; cursor?: string }): Promise<Page<JobProblem>> {
    return this.table.page<JobProblem>(
      tenantId,
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.tenant(tenantId), ':prefix': keys.jobProblems(jobId) },
        Limit: page.limit,
      },
      page.cursor,
    );
  }

  private item(tenantId: string, job: Job): Record<string, unknown> {
    return {
      pk: keys.tenant(tenantId),
      sk: keys.job(job.id),
      entity: 'job',
      ...(isActive(job) || !job.announced ? { gsi4pk: keys.activeJobs(), gsi4sk: `${job.updatedAt}#${tenantId}#${job.id}` } : {}),
      ...job,
    };
  }
}
