/**
 * The floor of a dispatch cold start: the AWS SDK clients dispatch uses, created as its
 * composition root creates them, and nothing else. bench/bundle-size.ts builds and imports it
 * like a function's handler, so the difference is what Frist's own code adds.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';

const region = process.env.AWS_REGION;
export const clients = {
  dynamodb: DynamoDBDocumentClient.from(new DynamoDBClient({ region })),
  s3: new S3Client({ region }),
  secrets: new SecretsManagerClient({ region }),
  ses: new SESv2Client({ region }),
  sqs: new SQSClient({ region }),
};

export const handler = async (): Promise<void> => {};
