import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { headerOf, type ParsedEvent } from '../http/json-body.ts';
import type { HttpResponse } from '../http/responses.ts';
import { readViewerFile, VIEWER_FILES } from './docs-viewer.ts';

/**
 * GET /docs: the API reference as a page, rendered in the browser from the very /openapi.json
 * this service answers, so the page cannot drift from the document. Everything it loads is
 * served here, beside it; its Content-Security-Policy lets it load nothing from anywhere else.
 */
export const DOCS_PATH = '/docs';

/**
 * What the page may do, and nothing more: scripts and styles only from these files (no inline
 * script, no eval); images only as the data: URIs of the viewer's stylesheet (its icons);
 * requests only to this origin (the document, and "Try it out"); no plugins, no frames around
 * it, no <base>, no form posts.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Starts the viewer on the document, named relative to the page so that it works under any
 * base path. `validatorUrl: null` drops the validator badge, an image from the validator's
 * host; `queryConfigEnabled` stays off, so no `?url=` can make the page render (and run
 * "Try it out" against) someone else's document.
 */
const START_SCRIPT = `'use strict';
window.ui = SwaggerUIBundle({
  url: new URL('openapi.json', document.baseURI).href,
  dom_id: '#reference',
  validatorUrl: null,
  queryConfigEnabled: false,
  deepLinking: true,
});
`;

interface Asset {
  path: string;
  type: string;
  read: () => Promise<Buffer>;
}

const JS = 'text/javascript; charset=utf-8';
const ASSETS = {
  style: { path: `${DOCS_PATH}/${VIEWER_FILES.style}`, type: 'text/css; charset=utf-8', read: () => readViewerFile(VIEWER_FILES.style) },
  viewer: { path: `${DOCS_PATH}/${VIEWER_FILES.script}`, type: JS, read: () => readViewerFile(VIEWER_FILES.script) },
  start: { path: `${DOCS_PATH}/start.js`, type: JS, read: async () => Buffer.from(START_SCRIPT) },
} satisfies Record<string, Asset>;

interface Prepared {
  body: Buffer;
  gzipped: Buffer;
  /** The content's hash: the page names the asset with it, so a new version is a new URL. */
  version: string;
}

// Read and compressed on the first request that needs them, not at cold start: most
// invocations of the api function never serve the page. A failed read is not kept.
const prepared = new Map<string, Promise<Prepared>>();
function prepare(asset: Asset): Promise<Prepared> {
  let ready = prepared.get(asset.path);
  if (!ready) {
    ready = asset.read().then(async (body) => ({
      body,
      gzipped: await promisify(gzip)(body),
      version: createHash('sha256').update(body).digest('base64url').slice(0, 16),
    }));
    prepared.set(asset.path, ready);
    ready.catch(() => prepared.delete(asset.path));
  }
  return ready;
}

/** An asset's URL relative to the page (`docs/start.js?v=...`), which works under any base path. */
async function linkTo(asset: Asset): Promise<string> {
  return `${asset.path.slice(1)}?v=${(await prepare(asset)).version}`;
}

async function page(): Promise<HttpResponse> {
  const [style, viewer, start] = await Promise.all([linkTo(ASSETS.style), linkTo(ASSETS.viewer), linkTo(ASSETS.start)]);
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Frist API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${style}">
<script src="${viewer}" defer></script>
<script src="${start}" defer></script>
</head>
<body>
<main id="reference"><noscript>This page renders the API's OpenAPI document with JavaScript. The document itself: <a href="openapi.json">openapi.json</a>.</noscript></main>
</body>
</html>
`;
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': DOCS_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      // Small, and it names the assets' versions: asked again every time, so a deploy shows at once.
      'cache-control': 'no-cache',
    },
    body: html,
  };
}

async function asset(asset: Asset, event: ParsedEvent): Promise<HttpResponse> {
  const { body, gzipped, version } = await prepare(asset);
  // API Gateway does not compress; the viewer's script is 1.7 MB, a quarter of that gzipped.
  const compressed = acceptsGzip(headerOf(event, 'accept-encoding'));
  return {
    statusCode: 200,
    headers: {
      'content-type': asset.type,
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
      // Under the URL the page names it by, the content never changes; under any other, it may.
      'cache-control': event.queryStringParameters?.v === version ? 'public, max-age=31536000, immutable' : 'no-cache',
      vary: 'accept-encoding',
      ...(compressed ? { 'content-encoding': 'gzip' } : {}),
    },
    body: (compressed ? gzipped : body).toString('base64'),
    isBase64Encoded: true,
  };
}

/** Whether `Accept-Encoding` takes gzip (RFC 9110 12.5.3): named or `*`, without `q=0`. */
export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((entry) => {
    const [coding, ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/** The page and each file it loads, all GET, public and without a body. */
export const DOCS_ROUTES: readonly { path: string; respond: (event: ParsedEvent) => Promise<HttpResponse> }[] = [
  { path: DOCS_PATH, respond: page },
  ...Object.values(ASSETS).map((a) => ({ path: a.path, respond: (event: ParsedEvent) => asset(a, event) })),
];
