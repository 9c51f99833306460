/**
 * The default sign-in mode (httpAuth=cognito) as synthesized: the user pool, hosted UI, groups
 * and app client; the custom resource that registers the Function URL with the client after
 * both exist (with every client setting, since UpdateUserPoolClient resets what it is not
 * given); the client secret copied to Secrets Manager; the outputs an operator runs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asList,
  onlyResource,
  policyStatements,
  resourcesOf,
  type Synthesized,
  synth,
  textOf,
} from './synth';

let s: Synthesized;
beforeAll(() => {
  s = synth();
});

const poolId = () => onlyResource(s.template, 'AWS::Cognito::UserPool').id;
const clientId = () => onlyResource(s.template, 'AWS::Cognito::UserPoolClient').id;
const urlId = () => onlyResource(s.template, 'AWS::Lambda::Url').id;

/** The SDK call a `Custom::AWS` resource makes on create and on update (they are the same). */
function sdkCallOf(
  idPrefix: string,
): { action: string; parameters: Record<string, unknown> } & Record<string, unknown> {
  const [call, ...more] = Object.entries(resourcesOf(s.template, 'Custom::AWS')).filter(([id]) =>
    id.startsWith(idPrefix),
  );
  if (!call || more.length > 0) throw new Error(`expected one custom resource ${idPrefix}*`);
  const { Create, Update } = call[1].Properties;
  expect(textOf(Create)).toBe(textOf(Update));
  return JSON.parse(textOf(Create));
}

describe('user pool', () => {
  it('lets only administrators create users, demands strong passwords, offers TOTP MFA', () => {
    const pool = resourcesOf(s.template, 'AWS::Cognito::UserPool')[poolId()]!;
    expect(pool.Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    });
    expect(s.template.toJSON().Resources[poolId()].DeletionPolicy).toBe('Retain');
  });

  it('has a hosted-UI domain named after the stage and account, and the two groups, kept like the pool', () => {
    expect(onlyResource(s.template, 'AWS::Cognito::UserPoolDomain').props).toEqual({
      Domain: { 'Fn::Join': ['', ['ingestion-reports-prod-', { Ref: 'AWS::AccountId' }]] },
      ManagedLoginVersion: 1,
      UserPoolId: { Ref: poolId() },
    });
    const groups = Object.values(resourcesOf(s.template, 'AWS::Cognito::UserPoolGroup'));
    expect(groups.map((g) => g.Properties.GroupName).sort()).toEqual(['reports-readers', 'reports-runners']);
    for (const group of groups) expect(group.Properties.UserPoolId).toEqual({ Ref: poolId() });
    const retained = Object.values(
      s.template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>,
    )
      .filter((r) => r.Type === 'AWS::Cognito::UserPoolGroup')
      .map((r) => r.DeletionPolicy);
    expect(retained).toEqual(['Retain', 'Retain']);
  });
});

describe('app client', () => {
  it('is confidential, hosted-UI only, and does not name the Function URL itself', () => {
    const { props } = onlyResource(s.template, 'AWS::Cognito::UserPoolClient');
    expect(props).toMatchObject({
      UserPoolId: { Ref: poolId() },
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(JSON.stringify(props)).not.toContain(urlId());
    expect(props.CallbackURLs).toBeUndefined();
  });

  it('gets the code flow and the Function URL as callback and sign-out URL once both exist', () => {
    const call = sdkCallOf('SignInCognitoAppClientRedirectUrls');
    expect(call.action).toBe('updateUserPoolClient');
    expect(call.parameters).toMatchObject({
      UserPoolId: `<Ref:${poolId()}>`,
      ClientId: `<Ref:${clientId()}>`,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [`<${urlId()}.FunctionUrl>auth/callback`],
      LogoutURLs: [`<${urlId()}.FunctionUrl>`],
    });
  });

  it('repeats every setting of the client in that update, which would otherwise reset them', () => {
    const { props } = onlyResource(s.template, 'AWS::Cognito::UserPoolClient');
    const { UserPoolId, GenerateSecret, ...settings } = props;
    expect(Object.keys(settings).length).toBeGreaterThanOrEqual(10);
    const { parameters } = sdkCallOf('SignInCognitoAppClientRedirectUrls');
    for (const [name, value] of Object.entries(settings)) expect(parameters[name], name).toEqual(value);
  });

  it('copies the client secret into Secrets Manager through a custom resource that hides it', () => {
    const call = sdkCallOf('SignInCognitoAppClientReadSecret');
    expect(call).toMatchObject({
      action: 'describeUserPoolClient',
      parameters: { UserPoolId: `<Ref:${poolId()}>`, ClientId: `<Ref:${clientId()}>` },
      outputPaths: ['UserPoolClient.ClientSecret'],
      logApiResponseData: false,
    });
    const [readSecretId] = Object.keys(resourcesOf(s.template, 'Custom::AWS')).filter((id) =>
      id.startsWith('SignInCognitoAppClientReadSecret'),
    );
    const secret = Object.entries(resourcesOf(s.template, 'AWS::SecretsManager::Secret')).find(([id]) =>
      id.startsWith('SignInCognitoAppClientSecret'),
    );
    expect(secret?.[1].Properties.SecretString).toEqual({
      'Fn::GetAtt': [readSecretId, 'UserPoolClient.ClientSecret'],
    });
  });

  it('gives the deploy-time function exactly those two calls on this pool, and its own logs', () => {
    const deploy = policyStatements(s.template).filter((st) =>
      st.policy.startsWith('SignInCognitoAppClient'),
    );
    const cognito = deploy.filter((st) =>
      asList(st.Action).some((a) => String(a).startsWith('cognito-idp:')),
    );
    expect(cognito.flatMap((st) => asList(st.Action)).sort()).toEqual([
      'cognito-idp:DescribeUserPoolClient',
      'cognito-idp:UpdateUserPoolClient',
    ]);
    for (const st of cognito) expect(st.Resource).toEqual({ 'Fn::GetAtt': [poolId(), 'Arn'] });
    const rest = deploy.filter((st) => !cognito.includes(st)).flatMap((st) => asList(st.Action));
    expect(rest.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    // No AWS managed policy (AWSLambdaBasicExecutionRole may write to any log group).
    for (const role of Object.values(resourcesOf(s.template, 'AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('outputs', () => {
  it('give the URL to open, the pool, and the commands that create a user and add it to a group', () => {
    const outputs = s.template.toJSON().Outputs as Record<string, { Value: unknown; Description?: string }>;
    expect(outputs.HttpApiUrl?.Value).toEqual({ 'Fn::GetAtt': [urlId(), 'FunctionUrl'] });
    expect(outputs.HttpApiUrl?.Description).toContain('sign in');
    expect(outputs.UserPoolId?.Value).toEqual({ Ref: poolId() });
    const pool = `--user-pool-id <Ref:${poolId()}> --region <Ref:AWS::Region>`;
    expect(textOf(outputs.AddUserToGroupCommand?.Value)).toBe(
      `aws cognito-idp admin-add-user-to-group ${pool} --username <email> --group-name reports-readers`,
    );
    expect(textOf(outputs.CreateUserCommand?.Value)).toBe(
      `aws cognito-idp admin-create-user ${pool} --username <email> ` +
        '--user-attributes Name=email,Value=<email> Name=email_verified,Value=true',
    );
  });
});
