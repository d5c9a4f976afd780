import type { Page } from '../domain/model.ts';
import type { Template } from '../domain/template.ts';
import { cursorAt, type DynamoTable } from './dynamodb-table.ts';
import { keys, TABLE } from './table-layout.ts';

/**
 * Notice templates, one item each under the tenant's partition, listed by name through the
 * register index (their own gsi1 partition, sorted `lower-cased name#id`, as customers are).
 */
export class TemplateRecords {
  constructor(private readonly table: DynamoTable) {}

  get(tenantId: string, id: string): Promise<Template | undefined> {
    return this.table.get<Template>(keys.tenant(tenantId), keys.template(id));
  }

  list(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<Template>> {
    const index = TABLE.indexes.register;
    return this.table.page<Template>(
      tenantId,
      {
        IndexName: index.name,
        KeyConditionExpression: `${index.partitionKey} = :pk`,
        ExpressionAttributeValues: { ':pk': keys.templates(tenantId) },
        Limit: page.limit,
      },
      page.cursor,
    );
  }

  /** The cursor of a page of the list that ends at `template`. */
  cursorAfter(tenantId: string, template: Template): string {
    return cursorAt(this.item(tenantId, template), TABLE.indexes.register);
  }

  /** Creates (expectedVersion undefined) or replaces exactly that version; ConflictError otherwise. */
  put(tenantId: string, template: Template, expectedVersion?: number): Promise<void> {
    return this.table.putVersioned(this.item(tenantId, template), expectedVersion);
  }

  private item(tenantId: string, template: Template): Record<string, unknown> {
    return {
      pk: keys.tenant(tenantId),
      sk: keys.template(template.id),
      entity: 'template',
      gsi1pk: keys.templates(tenantId),
      gsi1sk: `${keys.customerName(template.name)}#${template.id}`,
      ...template,
    };
  }

  delete(tenantId: string, id: string, expectedVersion: number): Promise<boolean> {
    return this.table.deleteVersioned(keys.tenant(tenantId), keys.template(id), expectedVersion);
  }
}
