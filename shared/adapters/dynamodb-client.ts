import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/*
 * Apart from its adapter so that the floor of a cold start (bench/bare-clients.ts) builds the
 * client with this very function: dispatch's import is compared with clients built as
 * dispatch builds them. Each client has a module of its own: a bundle keeps the import of
 * every AWS SDK package that a module it takes names.
 */

export function createDynamoDbClient(options: DynamoDBClientConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(options), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
