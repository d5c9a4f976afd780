import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './harness.ts';

let stack: TestStack;
let page: Response;
let html: string;
beforeAll(async () => {
  stack = await startTestStack();
  page = await fetch(`${stack.apiUrl}/docs`);
  html = await page.text();
});
afterAll(() => stack.stop());

/** `src` of every <script> and `href` of every <link> in the page, as written. */
function loadsOf(markup: string): { tag: string; rel?: string; url: string }[] {
  return [...markup.matchAll(/<(script|link)\b([^>]*)>/g)].map(([, tag, attributes]) => ({
    tag: tag!,
    rel: /\brel="([^"]*)"/.exec(attributes!)?.[1],
    url: /\b(?:src|href)="([^"]*)"/.exec(attributes!)![1]!,
  }));
}

/** The directives of a Content-Security-Policy header, each with its sources. */
function directivesOf(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/** The hosts of absolute http(s) URLs written anywhere in a text. */
function hostsIn(text: string): string[] {
  return [...new Set([...text.matchAll(/https?:\/\/([A-Za-z0-9.-]+)/g)].map((m) => m[1]!))].sort();
}

describe('GET /docs', () => {
  it('answers an HTML page without a token, with a strict Content-Security-Policy', async () => {
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const csp = directivesOf(page.headers.get('content-security-policy')!);
    expect(csp).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it('loads only files of its own origin, each served with its type', async () => {
    const loads = loadsOf(html);
    expect(loads.map((l) => l.rel ?? l.tag)).toEqual(['icon', 'stylesheet', 'script', 'script']);
    for (const { tag, rel, url } of loads) {
      // The icon is an empty data: URI, so the browser asks for no /favicon.ico; no request.
      if (rel === 'icon') {
        expect(url).toBe('data:,');
        continue;
      }
      const absolute = new URL(url, page.url);
      expect(absolute.origin, url).toBe(new URL(stack.apiUrl).origin);
      const res = await fetch(absolute);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toBe(tag === 'script' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(res.headers.get('cache-control'), url).toBe('public, max-age=31536000, immutable');
    }
  });

  it('renders the document /openapi.json serves, fetched by the browser from this service', async () => {
    const start = loadsOf(html).at(-1)!.url;
    const script = await (await fetch(new URL(start, page.url))).text();
    expect(script).toContain("url: new URL('openapi.json', document.baseURI).href");
    expect(new URL('openapi.json', page.url).href).toBe(`${stack.apiUrl}/openapi.json`);
    const document = await (await fetch(`${stack.apiUrl}/openapi.json`)).json();
    expect(document).toMatchObject({ openapi: '3.1.0', info: { title: 'Frist' } });
    // The one request to another host the viewer makes by default (the validator badge) is off.
    expect(script).toContain('validatorUrl: null');
  });

  /**
   * What a static scan can and cannot tell. It proves that the page and the stylesheet name no
   * other host at all (their only URLs are relative or data:). For the viewer's script it can
   * only list the hosts written in it: each one below was read in context and is a link, an
   * error message, a namespace or spec identifier, or a base for parsing URLs, not something
   * loaded; a new host in a new version fails here until someone reads it. What the scan cannot
   * see, the CSP above stops: the browser refuses any load from another origin.
   */
  it('names no other host in what it loads, beyond hosts of the viewer that are never loaded', async () => {
    expect(hostsIn(html)).toEqual([]);
    const [style, script] = await Promise.all(
      loadsOf(html)
        .filter((l) => l.rel !== 'icon')
        .slice(0, 2)
        .map(async (l) => (await fetch(new URL(l.url, page.url))).text()),
    );
    for (const [, url] of style!.matchAll(/url\(\s*["']?([^"')]*)/g)) expect(url!.startsWith('data:'), url).toBe(true);
    expect(style).not.toMatch(/@import|@font-face/);
    expect(hostsIn(style!)).toEqual(['www.w3.org']); // the xmlns of its data: SVG icons
    const reviewed = {
      'XML namespaces': ['www.w3.org'],
      'identifiers of JSON Schema and OpenAPI dialects, never fetched': ['json-schema.org', 'spec.openapis.org'],
      'RFC references in grammar comments': ['datatracker.ietf.org', 'www.rfc-editor.org'],
      'links the markdown renderer makes of @mentions and #tags': ['instagram.com', 'soundcloud.com', 'twitter.com', 'www.facebook.com', 'www.tiktok.com'],
      "the license link for an SPDX id (this document's is LicenseRef-Proprietary: none)": ['spdx.org'],
      'error and deprecation messages': ['fb.me', 'github.com', 'reactjs.org', 'redux.js.org'],
      'bases for parsing relative URLs, and example values': ['base', 'example.com', 'swagger.io', 'vladimirgorej.com'],
      'the validator badge, switched off by validatorUrl: null': ['validator.swagger.io'],
    };
    expect(hostsIn(script!)).toEqual(Object.values(reviewed).flat().sort());
  });

  it('is public for GET only: another method without a token meets the authorizer, as on AWS', async () => {
    // With a token, another method is 405 with Allow: GET (method-not-allowed.test.ts).
    expect((await stack.anonymous.call('DELETE', '/docs')).status).toBe(401);
  });

  it('sends the viewer gzipped when the browser takes it, and names a stale version uncacheable', async () => {
    const script = loadsOf(html).find((l) => l.url.includes('swagger-ui-bundle.js'))!.url;
    const plain = await fetch(new URL(script, page.url), { headers: { 'accept-encoding': 'identity' } });
    const zipped = await fetch(new URL(script, page.url), { headers: { 'accept-encoding': 'gzip, br' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toBe('accept-encoding');
    // fetch decodes gzip by itself: the same bytes either way.
    expect(await zipped.text()).toBe(await plain.text());
    const stale = await fetch(`${stack.apiUrl}/docs/swagger-ui-bundle.js?v=older`);
    expect(stale.headers.get('cache-control')).toBe('no-cache');
  });
});
