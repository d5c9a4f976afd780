import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { functionEntry, lambdaBuildOptions } from '../../bench/bundle-size.ts';

/** The packages a function's bundle names (the AWS SDK stays external: the runtime has it) and the files it carries. */
async function bundle(name: string) {
  const result = await build(lambdaBuildOptions(functionEntry(name)));
  const text = result.outputFiles[0]!.text;
  return {
    sdkPackages: [...new Set([...text.matchAll(/from"(@aws-sdk\/[a-z0-9-]+)"/g)].map((m) => m[1]))].sort(),
    inputs: Object.keys(Object.values(result.metafile.outputs)[0]!.inputs),
    metafile: result.metafile,
  };
}

/** The files evaluated at import: reached from the entry by static imports alone, not by `import()`. */
function evaluatedAtImport(metafile: Metafile, entry: string): Set<string> {
  const reached = new Set<string>();
  const visit = (file: string) => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const { path, kind } of metafile.inputs[file]?.imports ?? []) if (kind !== 'dynamic-import' && metafile.inputs[path]) visit(path);
  };
  visit(entry);
  return reached;
}

// Every package a bundle names is loaded at cold start, used or not (docs/benchmarks.md).
describe('function bundles', () => {
  it.each([
    ['ses-events', ['@aws-sdk/client-dynamodb', '@aws-sdk/client-sqs', '@aws-sdk/lib-dynamodb']],
    [
      'dispatch',
      [
        '@aws-sdk/client-dynamodb',
        '@aws-sdk/client-s3',
        '@aws-sdk/client-secrets-manager',
        '@aws-sdk/client-sesv2',
        '@aws-sdk/client-sqs',
        '@aws-sdk/lib-dynamodb',
      ],
    ],
    ['webhooks', ['@aws-sdk/client-dynamodb', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-sqs', '@aws-sdk/lib-dynamodb']],
  ])('%s loads only the AWS SDK clients it uses', async (name, expected) => {
    expect((await bundle(name)).sdkPackages).toEqual(expected);
  });

  it("the api carries neither zod's error message locales nor a holiday rule engine", async () => {
    const { inputs } = await bundle('api');
    // locales/index.js is the namespace the locales hang on: a route module loaded by import()
    // (functions/api/route-groups.ts) keeps its empty stub, not the locales it names.
    const locales = inputs.filter((file) => file.includes('zod/v4/locales/') && !file.endsWith('/index.js'));
    expect(locales.map((file) => file.split('/').pop())).toEqual(['en.js']);
    expect(inputs.filter((file) => /date-holidays|moment/.test(file))).toEqual([]);
  });

  it('dispatch carries no zod at all: its configuration and messages have plain checks, and it builds no domain schema', async () => {
    const { inputs } = await bundle('dispatch');
    expect(inputs.filter((file) => file.includes('node_modules/zod/'))).toEqual([]);
  });

  it('dispatch carries libphonenumber-js but evaluates it only on first need, through import()', async () => {
    const { inputs, metafile } = await bundle('dispatch');
    const phoneNumbers = (files: Iterable<string>) => [...files].filter((file) => file.includes('node_modules/libphonenumber-js/'));
    expect(phoneNumbers(inputs).length).toBeGreaterThan(0);
    expect(phoneNumbers(evaluatedAtImport(metafile, 'functions/dispatch/handler.ts'))).toEqual([]);
  });
});
