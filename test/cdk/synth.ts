import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../../cdk/app.ts';

export const BASE_CONTEXT = {
  sesIdentity: 'frist.example',
  emailDefaultFrom: 'varsel@frist.example',
  smsBaseUrl: 'https://sms.example.com',
  // A stand-in for web/dist: an index.html and one hashed file under assets/.
  webDist: 'test/fixtures/web-dist',
};

export interface Synthesized {
  assembly: CloudAssembly;
  template: Template;
  json: Record<string, any>;
  validation: {
    pluginReports: { pluginName: string; conclusion: string; violations: unknown[]; suppressedViolations: { ruleName: string; reason: string }[] }[];
  };
}

/** Synthesizes the stack of a stage offline, as `cdk synth` does (bundling with local esbuild). */
export function synth(context: Record<string, string>): Synthesized {
  const app = buildApp({ ...BASE_CONTEXT, ...context }, {});
  const assembly = app.synth();
  const stack = assembly.stacks[0]!;
  return {
    assembly,
    template: Template.fromJSON(stack.template),
    json: stack.template,
    validation: JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')),
  };
}

/** Resources of a type, as [logicalId, resource]. */
export function resources(json: Record<string, any>, type: string): [string, any][] {
  return Object.entries(json.Resources as Record<string, any>).filter(([, r]) => r.Type === type);
}
