/**
 * Sends an alert message to the alerts SNS topic: one Publish with the subject, the JSON body,
 * and the `workspace` and `rule` attributes that subscription filter policies match (`rule` is a
 * String.Array, so a policy on one rule matches a message that broke several).
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertPublisher } from './after-run';

export function snsAlertPublisher(client: SNSClient, topicArn: string): AlertPublisher {
  return async (message) => {
    await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: message.subject,
        Message: JSON.stringify(message.body),
        MessageAttributes: {
          workspace: { DataType: 'String', StringValue: message.body.workspace },
          rule: { DataType: 'String.Array', StringValue: JSON.stringify(message.rules) },
        },
      }),
    );
  };
}
