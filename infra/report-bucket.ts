/**
 * Where reports live: a private, encrypted, SSL-only bucket whose runs expire, plus a separate
 * bucket for its S3 server access logs (who downloaded which report).
 *
 * - Encryption: S3-managed keys (SSE-S3). The reports hold ingestion metadata (file names,
 *   statuses), not regulated data; SSE-KMS would add a key policy, kms:Decrypt grants for every
 *   reader of a presigned URL, and a KMS request per object, for no gain in who can read what
 *   (IAM and the bucket policy already decide that).
 * - Removal: retained with the stack (reports are data analysts rely on), unless `disposable`
 *   (the dev stage): then both buckets are emptied and deleted with the stack.
 * - Versioning: off. Every run writes new keys (the run ID is in the path) and `latest.json` is
 *   only a pointer; old versions would keep expired runs alive and cost storage for nothing.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Properties of a `ReportBucket`. */
export interface ReportBucketProps {
  /** Key prefix of all reports, ending in '/'. */
  readonly prefix: string;
  /** Objects under the prefix expire this many days after they were written. */
  readonly runRetentionDays: number;
  /** Access log objects expire this many days after they were written. */
  readonly accessLogRetentionDays: number;
  /** True: delete both buckets, objects and all, with the stack. @default false */
  readonly disposable?: boolean;
}

/** The report bucket and its access-log bucket. */
export class ReportBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: ReportBucketProps) {
    super(scope, id);
    const defaults = privateBucketDefaults(props.disposable ?? false);
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...defaults,
      // Log delivery needs ACL-free bucket-owner-enforced ownership plus a bucket policy; CDK adds it.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: Duration.days(props.accessLogRetentionDays) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    this.bucket = new Bucket(this, 'Reports', {
      ...defaults,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'reports-bucket/',
      lifecycleRules: [
        {
          id: 'expire-old-runs',
          prefix: props.prefix,
          expiration: Duration.days(props.runRetentionDays),
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    // The policies (TLS only, log delivery) stay with the buckets they guard.
    for (const bucket of [this.accessLogs, this.bucket])
      bucket.policy?.applyRemovalPolicy(defaults.removalPolicy);
  }
}

function privateBucketDefaults(disposable: boolean) {
  return {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: false,
    // Reports are data analysts rely on: deleting the stack must not delete them, unless the
    // stage says they are disposable (CloudFormation can delete only an empty bucket).
    removalPolicy: disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    autoDeleteObjects: disposable,
  } as const;
}
