import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { FristStack } from './frist-stack.ts';
import { readStackConfig } from './stack-config.ts';

/**
 * `npx cdk synth -c stage=prod -c sesIdentity=... ...`: the whole of Frist as one stack per
 * stage, checked by cdk-nag's AWS Solutions and Serverless packs on every synth.
 */
export function buildApp(context: Record<string, unknown> = {}, env: Record<string, string | undefined> = process.env): App {
  const app = new App({ context });
  const config = readStackConfig((key) => app.node.tryGetContext(key), env);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  new FristStack(app, `Frist-${config.stage}`, config, {
    env: { account: env.CDK_DEFAULT_ACCOUNT, region: env.CDK_DEFAULT_REGION },
  });
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildApp().synth();
}
