import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { resolve } from 'node:path';
import { serviceOf, type FunctionName } from '../../shared/telemetry-names.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * esbuild settings of every Frist function (measured in docs/benchmarks.md): ESM for node24,
 * minified with source maps, `module` before `main` (smaller, faster cold start), and the
 * createRequire banner that ESM bundles with inlined CommonJS need for `node:` requires. The
 * AWS SDK v3 comes with the nodejs24.x runtime, so it stays out of the bundle.
 */
export const BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node24',
  minify: true,
  sourceMap: true,
  mainFields: ['module', 'main'],
  externalModules: ['@aws-sdk/*'],
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
};

/** Bundling hooks that copy a package's files from the project's node_modules into the asset's. */
function copyPackageFiles({ name, files }: { name: string; files: readonly string[] }): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => [
      `mkdir -p "${outputDir}/node_modules/${name}"`,
      `cp ${files.map((file) => `"${inputDir}/node_modules/${name}/${file}"`).join(' ')} "${outputDir}/node_modules/${name}/"`,
    ],
  };
}

export interface FristFunctionProps {
  /** The entry under functions/, e.g. `dispatch`. */
  name: FunctionName;
  description: string;
  environment: Record<string, string>;
  timeout: Duration;
  memorySize?: number;
  logRetentionDays: number;
  retainLogs: boolean;
  /** Where asynchronous invocations go after Lambda's retries (not for the api function). */
  deadLetterQueue?: IQueue;
  /**
   * Files of an npm package that the code reads at run time rather than imports (so esbuild
   * does not bundle them): copied into the asset's node_modules, where Node's resolution finds
   * them from the bundle as it finds them from the source locally.
   */
  packageFiles?: { name: string; files: readonly string[] };
}

/**
 * A Lambda function with its own log group (retention set), its own role that may write
 * only to that log group (no managed policy), X-Ray tracing and Powertools settings.
 * Grants beyond logging are added by the stack, one statement per need.
 */
export class FristFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: FristFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Frist ${props.name} function`,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    this.fn = new NodejsFunction(this, 'Function', {
      entry: resolve(ROOT, 'functions', props.name, 'handler.ts'),
      handler: 'handler',
      projectRoot: ROOT,
      depsLockFilePath: resolve(ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      role: this.role,
      logGroup,
      tracing: Tracing.ACTIVE,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: serviceOf(props.name),
        LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: { ...BUNDLING, ...(props.packageFiles ? { commandHooks: copyPackageFiles(props.packageFiles) } : {}) },
    });
  }

  static arnOf(scope: Construct, service: string, resource: string): string {
    const stack = Stack.of(scope);
    return `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
  }
}
