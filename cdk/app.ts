import { App, Validations } from 'aws-cdk-lib';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { FristStack } from './frist-stack.ts';
import { readStackConfig } from './stack-config.ts';

/** The repository root: relative paths in the configuration start here, wherever cdk runs. */
const ROOT = resolve(import.meta.dirname, '..');

/**
 * `npx cdk synth -c stage=prod -c sesIdentity=... ...`: the whole of Frist as one stack per
 * stage, checked by cdk-nag's AWS Solutions and Serverless packs on every synth.
 */
export function buildApp(context: Record<string, unknown> = {}, env: Record<string, string | undefined> = process.env): App {
  const app = new App({ context });
  const config = readStackConfig((key) => app.node.tryGetContext(key), env);
  config.webDist = resolve(ROOT, config.webDist);
  if (!existsSync(join(config.webDist, 'index.html'))) {
    throw new Error(`The web app is not built: ${config.webDist} has no index.html. Run npm run build:web first (or point -c webDist=... at a built app).`);
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  new FristStack(app, `Frist-${config.stage}`, config, {
    env: { account: env.CDK_DEFAULT_ACCOUNT, region: env.CDK_DEFAULT_REGION },
  });
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildApp().synth();
}
