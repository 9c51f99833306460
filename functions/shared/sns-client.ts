/**
 * The alerts topic's publisher for the environment, in a module of its own so that loading it
 * loads the SNS client: the functions import it on the first alert to publish, the CLI only
 * when ALERTS_TOPIC_ARN is set and a rule broke.
 */
import { SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import type { AlertPublisher } from '../../lib/alerts/after-run';
import { snsAlertPublisher } from '../../lib/alerts/sns-publisher';

/** AWS's default credentials and region, or a local stand-in (AWS_ENDPOINT_URL_SNS) in tests. */
export function snsPublisherFromEnv(topicArn: string, env: NodeJS.ProcessEnv = process.env): AlertPublisher {
  const config: SNSClientConfig = {};
  if (env.AWS_ENDPOINT_URL_SNS?.trim()) config.endpoint = env.AWS_ENDPOINT_URL_SNS.trim();
  if (env.AWS_REGION?.trim()) config.region = env.AWS_REGION.trim();
  return snsAlertPublisher(new SNSClient(config), topicArn);
}
