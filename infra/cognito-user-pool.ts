/**
 * The Cognito user pool people sign in with: no self sign-up (an administrator creates each
 * user), a strong password policy, optional TOTP MFA, a hosted-UI domain, and the groups the
 * app maps to permissions. It holds the users, so it lives in the data stack; the HTTP
 * function's app client, tied to the Function URL, is the service stack's (cognito-app-client.ts).
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccountRecovery, FeaturePlan, ManagedLoginVersion, Mfa, UserPool } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { acknowledge } from './nag';

/** The groups the app reads from `cognito:groups`: read every workspace, or read and run. */
export const SIGN_IN_GROUPS = {
  Readers: { name: 'reports-readers', description: 'Read the reports of every workspace.' },
  Runners: { name: 'reports-runners', description: 'Read and run the reports of every workspace.' },
} as const;

/** Properties of a `CognitoUserPool`. */
export interface CognitoUserPoolProps {
  /** The hosted UI's domain prefix; unset: `ingestion-reports-<stage>-<account ID>`. */
  readonly domainPrefix: string | undefined;
  /** Part of the default domain prefix, so two stages in one account and region don't collide. */
  readonly stage: string;
  /** False (the default): the pool and its groups outlive the stack, protected from deletion. */
  readonly disposable?: boolean;
}

/** A user pool, its hosted UI and its groups. */
export class CognitoUserPool extends Construct {
  readonly userPool: UserPool;
  /** The issuer of the pool's tokens, as their `iss` claim spells it. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: CognitoUserPoolProps) {
    super(scope, id);
    const removalPolicy = props.disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    this.userPool = this.createUserPool(removalPolicy);
    this.issuer = `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}/${this.userPool.userPoolId}`;
    this.userPool.addDomain('HostedUi', {
      // Unique per region across all accounts: the account ID makes the default so.
      cognitoDomain: {
        domainPrefix: props.domainPrefix ?? `ingestion-reports-${props.stage}-${Aws.ACCOUNT_ID}`,
      },
      managedLoginVersion: ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });
    for (const [groupId, group] of Object.entries(SIGN_IN_GROUPS)) {
      this.userPool
        .addGroup(groupId, { groupName: group.name, description: group.description })
        .applyRemovalPolicy(removalPolicy);
    }
  }

  private createUserPool(removalPolicy: RemovalPolicy): UserPool {
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
      // The users and their groups (above) outlive a deleted stack: recreating them is manual work.
      removalPolicy,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
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
