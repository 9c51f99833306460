/**
 * How people reach the HTTP function, per the deploy-time mode (`httpAuth`): sign-in through the
 * data stack's Cognito user pool or an existing OpenID provider, both enforced by the app behind
 * an open Function URL; or IAM (SigV4) on the Function URL itself. The service-stack half: it
 * creates the Cognito app client (its callback is the Function URL, which lives here), gives the
 * function its environment and read access to the sign-in secrets, and adds the URL outputs.
 */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import { FunctionUrlAuthType, type IFunction, type IFunctionUrl } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CognitoAppClient } from './cognito-app-client';
import type { SignInResources } from './sign-in-state';

/** Properties of an `HttpSignIn`. */
export interface HttpSignInProps {
  /** The stored sign-in parts of the data stack. */
  readonly stored: SignInResources;
  readonly logRetention: RetentionDays;
}

/** What the app needs to know about the OpenID provider. */
interface Provider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: ISecret;
  readonly groupsClaim: string;
}

/** The sign-in of the HTTP function in the chosen mode. */
export class HttpSignIn extends Construct {
  /** The Function URL's own auth: IAM, or none when the app signs users in. */
  readonly urlAuthType: FunctionUrlAuthType;
  /** The HTTP function's sign-in environment: only names, IDs and secret ARNs. */
  readonly environment: Record<string, string>;
  private readonly secrets: ISecret[] = [];
  private appClient: CognitoAppClient | undefined;

  constructor(scope: Construct, id: string, props: HttpSignInProps) {
    super(scope, id);
    const { stored } = props;
    if (stored.mode === 'iam') {
      this.urlAuthType = FunctionUrlAuthType.AWS_IAM;
      this.environment = { HTTP_AUTH: 'iam' };
      return;
    }
    // The app enforces sign-in itself, so the URL lets every request reach it.
    this.urlAuthType = FunctionUrlAuthType.NONE;
    const provider = this.provider(stored, props.logRetention);
    this.secrets.push(provider.clientSecret, stored.sessionKey);
    this.environment = {
      HTTP_AUTH: 'oidc',
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET_ARN: provider.clientSecret.secretArn,
      OIDC_AUTH_SECRET_ARN: stored.sessionKey.secretArn,
      OIDC_GROUPS_CLAIM: provider.groupsClaim,
    };
  }

  /** The OpenID provider: the data stack's Cognito pool (with a client made here), or the configured one. */
  private provider(stored: Exclude<SignInResources, { mode: 'iam' }>, logRetention: RetentionDays): Provider {
    if (stored.mode === 'oidc') return stored;
    // Grouped under 'Cognito', as the pool is in the data stack.
    const cognito = new Construct(this, 'Cognito');
    this.appClient = new CognitoAppClient(cognito, 'AppClient', { userPool: stored.userPool, logRetention });
    const { clientId, clientSecret } = this.appClient;
    return { issuer: stored.issuer, clientId, clientSecret, groupsClaim: 'cognito:groups' };
  }

  /** Lets `fn` read the sign-in secrets at run time, and nothing else. */
  grantTo(fn: IFunction): void {
    for (const secret of this.secrets) secret.grantRead(fn);
  }

  /** Registers `url` where the provider needs it and adds the outputs of the mode. */
  connect(url: IFunctionUrl): void {
    const stack = Stack.of(this);
    new CfnOutput(stack, 'HttpApiUrl', {
      value: url.url,
      description:
        this.urlAuthType === FunctionUrlAuthType.AWS_IAM
          ? 'Function URL (SigV4-signed requests only)'
          : `Open in a browser and sign in; the provider's redirect URI is this URL + auth/callback`,
    });
    if (!this.appClient) return;
    this.appClient.allowRedirectsTo(url.url);
    new CfnOutput(stack, 'UserPoolClientId', { value: this.appClient.clientId });
  }
}
