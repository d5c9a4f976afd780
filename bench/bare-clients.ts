/**
 * The floor of a dispatch cold start: the AWS SDK clients dispatch uses, created as its
 * composition root creates them (the same factories and options, the configuration's defaults),
 * and nothing else. bench/bundle-size.ts builds and imports it like a function's handler, so
 * the difference is what Frist's own code adds.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDynamoDbClient } from '../shared/adapters/dynamodb-client.ts';
import { createSesClient } from '../shared/adapters/ses-client.ts';
import { createSqsClient } from '../shared/adapters/sqs-client.ts';

const region = process.env.AWS_REGION;
export const clients = {
  dynamodb: createDynamoDbClient({ region }),
  s3: new S3Client({ region, forcePathStyle: false }),
  secrets: new SecretsManagerClient({ region }),
  // SES_TIMEOUT_MS's default.
  ses: createSesClient({ region }, 10_000),
  sqs: createSqsClient({ region }),
};

export const handler = async (): Promise<void> => {};
