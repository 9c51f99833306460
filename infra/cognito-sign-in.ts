/**
 * Sign-in with a Cognito user pool of this stack: no self sign-up (an administrator creates each
 * user), a strong password policy, optional TOTP MFA, a hosted-UI domain, the groups the app
 * maps to permissions, and the HTTP function's app client.
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccountRecovery, FeaturePlan, ManagedLoginVersion, Mfa, UserPool } from 'aws-cdk-lib/aws-cognito';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CognitoAppClient } from './cognito-app-client';
import { acknowledge } from './nag';

/** The groups the app reads from `cognito:groups`: read every workspace, or read and run. */
export const SIGN_IN_GROUPS = {
  Readers: { name: 'reports-readers', description: 'Read the reports of every workspace.' },
  Runners: { name: 'reports-runners', description: 'Read and run the reports of every workspace.' },
} as const;

/** Properties of a `CognitoSignIn`. */
export interface CognitoSignInProps {
  /** The hosted UI's domain prefix; unset: `ingestion-reports-<account ID>`. */
  readonly domainPrefix: string | undefined;
  readonly logRetention: RetentionDays;
}

/** A user pool, its hosted UI and groups, and the HTTP function's app client. */
export class CognitoSignIn extends Construct {
  readonly userPool: UserPool;
  readonly appClient: CognitoAppClient;
  /** The issuer of the pool's tokens, as their `iss` claim spells it. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: CognitoSignInProps) {
    super(scope, id);
    this.userPool = this.createUserPool();
    this.issuer = `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}/${this.userPool.userPoolId}`;
    this.userPool.addDomain('HostedUi', {
      // Unique per region across all accounts: the account ID makes the default so.
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `ingestion-reports-${Aws.ACCOUNT_ID}` },
      managedLoginVersion: ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });
    for (const [groupId, group] of Object.entries(SIGN_IN_GROUPS)) {
      this.userPool
        .addGroup(groupId, { groupName: group.name, description: group.description })
        .applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
    this.appClient = new CognitoAppClient(this, 'AppClient', {
      userPool: this.userPool,
      logRetention: props.logRetention,
    });
  }

  private createUserPool(): UserPool {
    const pool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      // The users and their groups (below) outlive a deleted stack: recreating them is manual work.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    acknowledge(pool, {
      'AwsSolutions-COG2':
        'MFA is optional (TOTP): analysts sign in with a strong password; each may add an authenticator app.',
      'AwsSolutions-COG8':
        'Threat protection needs the Plus plan (billed per user); an internal pool without self sign-up does without.',
    });
    return pool;
  }
}
