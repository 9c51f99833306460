/**
 * The user pool's app client for the HTTP function: a confidential client for the authorization
 * code flow (the app adds PKCE), with its client secret copied into Secrets Manager.
 *
 * Its callback URL is the Function URL, which exists only after the function, while the function
 * needs the client's ID: naming the URL in the client's own resource would be a dependency cycle.
 * So CloudFormation creates the client without OAuth, and a custom resource turns OAuth on with
 * the real URLs once both exist (`allowRedirectsTo`).
 */
import { CfnResource, Duration, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  Logging,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge } from './nag';

/** Where the app takes the provider's answer after sign-in, relative to its base URL. */
export const CALLBACK_PATH = 'auth/callback';

/** A user pool as the client needs it: its ID and its ARN (what IAM grants name). */
export interface UserPoolRef {
  readonly userPoolId: string;
  readonly userPoolArn: string;
}

/** Properties of a `CognitoAppClient`. */
export interface CognitoAppClientProps {
  /** The pool (of the data stack) by ID and ARN. */
  readonly userPool: UserPoolRef;
  /** Retention of the deploy-time custom resources' logs. */
  readonly logRetention: RetentionDays;
}

/**
 * The client's settings, spelled as both CloudFormation's AWS::Cognito::UserPoolClient and the
 * UpdateUserPoolClient API spell them (the names are the same). UpdateUserPoolClient resets every
 * setting it is not given, so the custom resource sends all of these; and because they are its
 * parameters, any change here reruns it after CloudFormation has updated the client.
 */
const CLIENT_SETTINGS = {
  ClientName: 'ingestion-reports-http',
  // Sign-in goes through the hosted UI only; the app refreshes its tokens.
  ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
  SupportedIdentityProviders: ['COGNITO'],
  PreventUserExistenceErrors: 'ENABLED',
  EnableTokenRevocation: true,
  AccessTokenValidity: 60,
  IdTokenValidity: 60,
  RefreshTokenValidity: 12 * 60,
  TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
  AuthSessionValidity: 3,
} as const;

/** A user pool app client for the HTTP function, its secret in Secrets Manager. */
export class CognitoAppClient extends Construct {
  readonly clientId: string;
  /** Secrets Manager secret whose SecretString is the client secret; never in the template. */
  readonly clientSecret: Secret;
  private readonly userPool: UserPoolRef;
  private readonly logGroup: LogGroup;
  private readonly deployRole: Role;

  constructor(scope: Construct, id: string, props: CognitoAppClientProps) {
    super(scope, id);
    this.userPool = props.userPool;
    const client = new CfnResource(this, 'Resource', {
      type: 'AWS::Cognito::UserPoolClient',
      properties: { UserPoolId: this.userPool.userPoolId, GenerateSecret: true, ...CLIENT_SETTINGS },
    });
    this.clientId = client.ref;
    // The shared custom-resource function's log group (its logs expire like the rest) and its own
    // role: the default one carries AWSLambdaBasicExecutionRole, which may write any log group.
    this.logGroup = new LogGroup(this, 'DeployLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.deployRole = new Role(this, 'DeployRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Reads the app client secret and sets its redirect URLs at deploy time',
    });
    this.logGroup.grantWrite(this.deployRole);
    this.clientSecret = this.copySecret();
  }

  /**
   * Turns on the authorization-code flow with `<baseUrl>auth/callback` as the only callback and
   * `<baseUrl>` as the only sign-out URL. `baseUrl` ends with '/', as a Function URL does.
   */
  allowRedirectsTo(baseUrl: string): void {
    this.sdkCall('RedirectUrls', 'updateUserPoolClient', {
      UserPoolId: this.userPool.userPoolId,
      ClientId: this.clientId,
      ...CLIENT_SETTINGS,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [`${baseUrl}${CALLBACK_PATH}`],
      LogoutURLs: [baseUrl],
    });
  }

  /**
   * Cognito generates the client secret and CloudFormation has no attribute for it: a custom
   * resource reads it at deploy time (its logs hide the response) and hands only that value,
   * never a literal, to the secret.
   */
  private copySecret(): Secret {
    const path = 'UserPoolClient.ClientSecret';
    const describe = this.sdkCall(
      'ReadSecret',
      'describeUserPoolClient',
      { UserPoolId: this.userPool.userPoolId, ClientId: this.clientId },
      [path],
    );
    const secret = new Secret(this, 'Secret', {
      description: 'Client secret of the ingestion reports app client (copied from Cognito).',
      secretStringValue: SecretValue.resourceAttribute(describe.getResponseField(path)),
    });
    acknowledge(secret, {
      'AwsSolutions-SMG4':
        'Cognito issues this secret; it changes only with a new app client, which updates it.',
    });
    return secret;
  }

  private sdkCall(
    id: string,
    action: string,
    parameters: Record<string, unknown>,
    outputPaths?: string[],
  ): AwsCustomResource {
    const call = new AwsCustomResource(this, id, {
      onUpdate: {
        service: 'CognitoIdentityServiceProvider',
        action,
        parameters,
        outputPaths,
        // A new client (a new ID) is a new resource; the old one has nothing to undo.
        physicalResourceId: PhysicalResourceId.of(this.clientId),
        logging: Logging.withDataHidden(),
      },
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: [this.userPool.userPoolArn] }),
      // The SDK in the Lambda runtime: no download from npm during a deployment.
      installLatestAwsSdk: false,
      role: this.deployRole,
      logGroup: this.logGroup,
      timeout: Duration.minutes(2),
    });
    return call;
  }
}
