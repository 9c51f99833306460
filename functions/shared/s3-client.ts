/**
 * The S3 client for the environment, in a module of its own so that loading it loads the AWS
 * SDK: the CLI imports it only when a run writes to S3 (see ./destination), the Lambdas at
 * their first request.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * AWS's default credentials and region, or a local S3-compatible endpoint
 * (AWS_ENDPOINT_URL_S3, e.g. s3rver), which needs path-style URLs.
 */
export function s3ClientFromEnv(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3;
  const config: S3ClientConfig = endpoint
    ? {
        endpoint,
        forcePathStyle: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }
    : {};
  // Otherwise the SDK's own chain (AWS_REGION, the profile's region) decides.
  if (env.AWS_REGION?.trim()) config.region = env.AWS_REGION.trim();
  return new S3Client(config);
}
