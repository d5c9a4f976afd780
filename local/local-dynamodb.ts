import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { INDEX_UPGRADE_STEPS, indexesAtUpgradeStep, TABLE } from '../shared/adapters/table-layout.ts';
import { reuseExpressionParses } from './dynalite-expression-cache.ts';
import { refuseLongExpressions } from './dynalite-expression-size.ts';
import { writeOnlyChangedIndexEntries } from './dynalite-index-writes.ts';
import { close, listen, LOOPBACK } from './listen.ts';

/** dynalite accepts any credentials; these make it obvious in a trace that nothing is real. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface LocalDynamoDb {
  endpoint: string;
  stop(): Promise<void>;
}

/** dynalite on loopback: in memory, or in LevelDB files under `path` (--persist). */
export async function startDynamoDb(options: { port?: number; path?: string } = {}): Promise<LocalDynamoDb> {
  writeOnlyChangedIndexEntries();
  reuseExpressionParses();
  refuseLongExpressions();
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  const port = await listen(server, options.port ?? 0);
  return { endpoint: `http://${LOOPBACK}:${port}`, stop: () => close(server) };
}

/** Creates Frist's table with the layout of table-layout.ts (or that of an upgrade step, to test an upgrade); an existing table is kept. */
export async function createTable(endpoint: string, tableName: string, region: string, upgradeStep = INDEX_UPGRADE_STEPS): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region, credentials: LOCAL_CREDENTIALS });
  const indexes = indexesAtUpgradeStep(upgradeStep);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...new Set([TABLE.partitionKey, TABLE.sortKey, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey])])].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes.map((i) => ({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: {
            ProjectionType: i.projection as 'ALL' | 'KEYS_ONLY' | 'INCLUDE',
            ...(i.nonKeyAttributes ? { NonKeyAttributes: [...i.nonKeyAttributes] } : {}),
          },
        })),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    client.destroy();
  }
}
