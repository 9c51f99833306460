/**
 * How `npm run test:aws` decides pass or fail from the deployed stacks' outputs: only outputs
 * named AssertionResults* count, a failed or unreadable one fails the run with its message.
 */
import { describe, expect, it } from 'vitest';
import { failedAssertions } from './assertion-results';

describe('failedAssertions', () => {
  it('passes successes, fails failures with their message, ignores other outputs', () => {
    const result = failedAssertions({
      'IngestionReports-integ-Service': { HttpApiUrl: 'https://x.lambda-url.eu-central-1.on.aws/' },
      NightlyOnAwsDeployAssert: {
        AssertionResultsEqualsAssertionSmallIsFirst0a1b: '{"status":"success"}',
        AssertionResultsLambdaInvokeabc: '{"status":"fail","message":"Expected 206 but received 403"}',
        AssertionResultsHttpApiCall: 'Internal Error',
      },
    });
    expect(result.passed).toEqual(['AssertionResultsEqualsAssertionSmallIsFirst0a1b']);
    expect(result.failed).toEqual([
      { name: 'AssertionResultsLambdaInvokeabc', message: 'Expected 206 but received 403' },
      { name: 'AssertionResultsHttpApiCall', message: 'not JSON: Internal Error' },
    ]);
  });
});
