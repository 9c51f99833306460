/**
 * A Lambda function with the team's defaults, so every function in the stack looks the same:
 * arm64, Node.js 22, an explicit log group with retention, JSON logs, source maps, reserved
 * concurrency, and a role that may write only to its own log group.
 */
import { fileURLToPath } from 'node:url';
import type { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from './nag';

/** The repository root: entries, tsconfig.json and package-lock.json are resolved from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The metrics namespace every function publishes EMF metrics to (Powertools reads it from env). */
export const METRICS_NAMESPACE = 'IngestionReports';

/**
 * ESM bundles still contain CommonJS dependencies that call `require`; ESM has no `require`, so
 * give the bundle one. The alias avoids clashing with a bundled module's own `createRequire`.
 */
const CREATE_REQUIRE_BANNER =
  "import { createRequire as topLevelCreateRequire } from 'node:module';" +
  'const require = topLevelCreateRequire(import.meta.url);';

/** esbuild on this machine (never Docker): ESM for Node 22, minified, with source maps. */
const BUNDLING: BundlingOptions = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: CREATE_REQUIRE_BANNER,
  tsconfig: `${PROJECT_ROOT}tsconfig.json`,
  minify: true,
  // Minified names would otherwise leak into logs wherever code reports a class or function name.
  keepNames: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  // Bundle the AWS SDK too: the versions we tested, not whatever the runtime ships this month.
  externalModules: [],
};

/** Properties of a `ReportFunction`. */
export interface ReportFunctionProps {
  /** Entry file relative to the repository root, exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  /** `POWERTOOLS_SERVICE_NAME`: the `service` dimension of the function's metrics and logs. */
  readonly serviceName: string;
  readonly timeout: Duration;
  /** @default 1024 */
  readonly memorySize?: number;
  /**
   * Caps parallel invocations, so the upstream API is never flooded. Unset only for a function
   * that is no client of the API (the end-to-end test's emulator, which is the API).
   */
  readonly reservedConcurrency: number | undefined;
  readonly logRetention: RetentionDays;
  readonly environment: Record<string, string>;
  /** Active X-Ray tracing. @default false */
  readonly tracing?: boolean;
}

/** A `NodejsFunction` bundled locally with esbuild (never Docker), plus its log group and role. */
export class ReportFunction extends Construct {
  /** The function: grant to it, alarm on it, invoke it. */
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
  /** The `service` dimension of its metrics. */
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: ReportFunctionProps) {
    super(scope, id);
    this.serviceName = props.serviceName;
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    // An own role instead of AWSLambdaBasicExecutionRole: that managed policy may write to any log group.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.description}`,
    });
    this.logGroup.grantWrite(role);
    this.fn = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}${props.entry}`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrency,
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      // INFO keeps the platform REPORT lines (duration, max memory) that size the functions.
      systemLogLevelV2: SystemLogLevel.INFO,
      tracing: props.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
      bundling: BUNDLING,
    });
    acknowledge(this, {
      'AwsSolutions-L1':
        'Node.js 22 is the pinned runtime: it matches the bundle target (node22) we test against.',
    });
    if (props.tracing) {
      acknowledge(role, {
        'AwsSolutions-IAM5[Resource::*]':
          'X-Ray PutTraceSegments/PutTelemetryRecords support no resource ARNs.',
      });
    }
  }
}
