/**
 * The end-to-end test's CDK app, buildable without deploying (the template test synthesizes it
 * offline): a disposable `integ` stage (data and service stacks, exactly as `infra/` builds
 * them, with the dev stage's presets and a lowered fan-out threshold), the fixture stack with the
 * emulator as its API, and the assertions (integ-assertions.ts) that integ-runner deploys and
 * checks. Only the stage's two stacks run cdk-nag: the fixture is test equipment.
 */

import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FEATURE_FLAGS } from '../../infra/build-app';
import { type InfraConfig, type InfraContextKey, parseInfraConfig } from '../../infra/config';
import { DataStack } from '../../infra/data-stack';
import { ServiceStack } from '../../infra/service-stack';
import { type StageSettings, stackNames, stageValue } from '../../infra/stages';
import { addAssertions } from './integ-assertions';
import { IntegFixtureStack } from './integ-fixture-stack';

/** The stage under test: disposable, so integ-runner's destroy leaves nothing behind. */
export const INTEG_STAGE: StageSettings = { name: 'integ', disposable: true };

/** Context of the stage under test, over the dev stage's presets. */
const INTEG_CONTEXT: Partial<Record<InfraContextKey, string>> = {
  // Replaced by the emulator's Function URL below; parsed here only to satisfy the schema.
  apiUrl: 'https://emulator.invalid/api/v1',
  // No schedule: the test invokes the nightly function itself.
  workspaces: '',
  // SigV4 on the HTTP function: no user pool, no hosted-UI domain to collide with another stage.
  httpAuth: 'iam',
  // The large workspace (228,399 files) fans out in 4 batches; the small one (726) does not.
  fanoutThresholdFiles: '100000',
  fanoutBatchFiles: '60000',
};

/** The stage's configuration; `apiUrl` is the emulator's once the fixture exists. */
function integConfig(): InfraConfig {
  return parseInfraConfig((key) => INTEG_CONTEXT[key] ?? stageValue('dev', key, undefined));
}

/** The app, its stacks and the IntegTest; `props.context` as for `buildApp`. */
export function buildIntegApp(props: AppProps = {}) {
  const app = new App({ ...props, context: { ...FEATURE_FLAGS, ...props.context } });
  const config = integConfig();
  const names = stackNames(INTEG_STAGE.name);
  const data = new DataStack(app, names.data, { stackName: names.data, config, stage: INTEG_STAGE });
  const fixture = new IntegFixtureStack(app, 'IngestionReports-integ-Fixture', {
    stackName: 'IngestionReports-integ-Fixture',
    config,
    data: data.exports,
  });
  fixture.addStackDependency(data);
  const service = new ServiceStack(app, names.service, {
    stackName: names.service,
    config: { ...config, apiUrl: fixture.apiUrl },
    data: data.exports,
  });
  service.addStackDependency(data);
  for (const stack of [data, service]) Validations.of(stack).addPlugins(new AwsSolutionsChecks(stack));

  const integ = new IntegTest(app, 'NightlyOnAws', {
    testCases: [data, fixture, service],
    // Function bundles change with every code change; their hashes say nothing about the test.
    diffAssets: false,
  });
  addAssertions(integ, { service, fixture, config });
  return { app, data, fixture, service, integ };
}
