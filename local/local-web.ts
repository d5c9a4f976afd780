import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { loadLocalJwt } from './local-jwt.ts';
import { close, listen, LOOPBACK } from './listen.ts';
import { createLocalOidc, LOCAL_WEB_CLIENT_ID } from './local-oidc.ts';
import { WEB_DIST } from './web-build.ts';

/** `/config.json`: the contract between the app and whatever hosts it (the CDK stack writes the same on AWS). */
export interface WebConfig {
  apiUrl: string;
  oidc: { authority: string; clientId: string; scope: string; logoutUrl?: string };
}

export interface LocalWeb {
  /** The app's origin, e.g. http://127.0.0.1:3001: give it to the API as a CORS origin. */
  appUrl: string;
  /** The local sign-in service (the OIDC authority). */
  signInUrl: string;
  config(): WebConfig;
  stop(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The web app as CloudFront serves it on AWS, on its own 127.0.0.1 origin: the files of
 * web/dist, `/config.json`, and index.html for every other path (the app's routes), plus the
 * local sign-in service that stands in for the user pool's managed login. Never deployed.
 */
export async function startLocalWeb(options: {
  /** The local data folder whose key signs the tokens (the one the API gateway checks against). */
  jwtKeyFile: string;
  tenantClaim: string;
  defaultTenant: string;
  /** The API's URL; known once the stack runs, which needs the app's origin first (CORS). */
  apiUrl: () => string;
  appPort?: number;
  signInPort?: number;
  distDir?: string;
}): Promise<LocalWeb> {
  const distDir = options.distDir ?? WEB_DIST;
  let appUrl = '';
  let signInUrl = '';
  const oidc = createLocalOidc({
    jwt: await loadLocalJwt(options.jwtKeyFile),
    tenantClaim: options.tenantClaim,
    defaultTenant: options.defaultTenant,
    redirectUris: () => [`${appUrl}/auth/callback`],
    logoutUris: () => [`${appUrl}/`],
  });
  signInUrl = `http://${LOOPBACK}:${await listen(oidc.server, options.signInPort ?? 0)}`;
  oidc.setBaseUrl(signInUrl);

  const config = (): WebConfig => ({
    apiUrl: options.apiUrl(),
    oidc: { authority: signInUrl, clientId: LOCAL_WEB_CLIENT_ID, scope: 'openid email profile', logoutUrl: `${signInUrl}/logout` },
  });
  const app = createServer((request, response) => {
    serveApp(request, response, distDir, config, signInUrl).catch(() => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('Internal Server Error');
    });
  });
  appUrl = `http://${LOOPBACK}:${await listen(app, options.appPort ?? 0)}`;

  return {
    appUrl,
    signInUrl,
    config,
    stop: async () => {
      await close(app);
      await close(oidc.server);
    },
  };
}

async function serveApp(request: IncomingMessage, response: ServerResponse, distDir: string, config: () => WebConfig, signInUrl: string): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' });
    return void response.end();
  }
  const path = decodedPath(new URL(request.url ?? '/', 'http://localhost').pathname);
  const headers = securityHeaders(config().apiUrl, signInUrl);
  if (path === '/config.json') {
    response.writeHead(200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-cache' });
    return void response.end(JSON.stringify(config()));
  }
  const file = normalize(join(distDir, path));
  if (file.startsWith(distDir + sep) && extname(file)) {
    const body = await readFile(file).catch(() => undefined);
    if (body) {
      // Vite names assets by content hash: they never change under the same name.
      const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      response.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': cache });
      return void response.end(request.method === 'HEAD' ? undefined : body);
    }
    if (path.startsWith('/assets/')) {
      response.writeHead(404, { ...headers, 'content-type': 'text/plain' });
      return void response.end('Not Found');
    }
  }
  const index = await readFile(join(distDir, 'index.html')).catch(() => undefined);
  if (!index) {
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    return void response.end('The web app is not built: npm run build:web');
  }
  response.writeHead(200, { ...headers, 'content-type': TYPES['.html']!, 'cache-control': 'no-cache' });
  response.end(request.method === 'HEAD' ? undefined : index);
}

/**
 * The path as the file it may name. A malformed escape (`/tasks/%`, typed or pasted) names no
 * file: it stays as it is, so it is a route of the app like any other (CloudFront's function
 * decodes nothing either) and the app says what it finds there, instead of the server failing.
 */
function decodedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/**
 * The headers CloudFront adds on AWS (cdk/constructs/web-app.ts, `contentSecurityPolicy` and the
 * headers policy; HSTS aside, as this is plain HTTP), with the local API and sign-in origins:
 * the app loads nothing from anywhere else, and the browser enforces it here as there.
 */
function securityHeaders(apiUrl: string, signInUrl: string): Record<string, string> {
  return {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ${apiUrl} ${signInUrl}`,
      'frame-src blob:',
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'self'",
      `form-action 'self' ${signInUrl}`,
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    // Cuts the sign-in window off from the app as on AWS: the answer must come by BroadcastChannel.
    'cross-origin-opener-policy': 'same-origin',
  };
}
