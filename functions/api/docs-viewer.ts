import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * The viewer that renders /docs: Swagger UI's browser build, an npm dependency (see
 * docs/decisions.md). Its files are read from the installed package, through Node's own
 * resolution: locally from node_modules, on AWS from the copy the api function's bundling
 * puts in the asset's node_modules (cdk/constructs/frist-function.ts), so one code path
 * serves both and a missing copy fails the bundle test instead of a deploy.
 */
export const VIEWER_PACKAGE = 'swagger-ui-dist';

/** The files the page loads. */
export const VIEWER_FILES = { script: 'swagger-ui-bundle.js', style: 'swagger-ui.css' } as const;

/** What the bundling copies: the files, the package.json resolution reads, and the licence that must travel with the code. */
export const VIEWER_PACKAGE_FILES: readonly string[] = [...Object.values(VIEWER_FILES), 'package.json', 'LICENSE', 'NOTICE'];

const resolveFromHere = createRequire(import.meta.url).resolve;

export function readViewerFile(name: string): Promise<Buffer> {
  return readFile(resolveFromHere(`${VIEWER_PACKAGE}/${name}`));
}
