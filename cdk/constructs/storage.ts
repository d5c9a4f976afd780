import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { INDEX_UPGRADE_STEPS, indexesAtUpgradeStep, TABLE, TTL_ATTRIBUTE } from '../../shared/adapters/table-layout.ts';

export interface StorageProps {
  retainData: boolean;
  documentsToInfrequentAccessDays: number;
  /** A table deployed by an earlier version goes through these one at a time (table-layout.ts, README "Deploy"); default: done. */
  indexUpgradeStep?: number;
}

/** The table (layout from shared/adapters/table-layout.ts) and the document center's bucket. */
export class Storage extends Construct {
  readonly table: Table;
  readonly documents: Bucket;
  /** Server access logs of the buckets, and the web app distribution's logs (ACLs on: CloudFront's standard logging needs them). */
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const removalPolicy = props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      // The SMS caps' counters expire; nothing relies on when (table-layout.ts).
      timeToLiveAttribute: TTL_ATTRIBUTE,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.retainData,
      removalPolicy,
    });
    for (const index of indexesAtUpgradeStep(props.indexUpgradeStep ?? INDEX_UPGRADE_STEPS)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType[index.projection as keyof typeof ProjectionType],
        ...(index.nonKeyAttributes ? { nonKeyAttributes: [...index.nonKeyAttributes] } : {}),
      });
    }

    const accessLogs = (this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy,
    }));
    this.documents = new Bucket(this, 'Documents', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'documents/',
      lifecycleRules: [
        {
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(props.documentsToInfrequentAccessDays) }],
          noncurrentVersionExpiration: Duration.days(90),
        },
      ],
      removalPolicy,
    });
  }
}
