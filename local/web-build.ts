import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
export const WEB_DIR = join(ROOT, 'web');
export const WEB_DIST = join(WEB_DIR, 'dist');

/** What a build of the web app is made from: its sources and config, and the locked dependencies. */
async function newestSource(): Promise<number> {
  const walk = async (dir: string): Promise<number> => {
    let newest = 0;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === 'dist' || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      newest = Math.max(newest, entry.isDirectory() ? await walk(path) : (await stat(path)).mtimeMs);
    }
    return newest;
  };
  return Math.max(await walk(WEB_DIR), (await stat(join(ROOT, 'package-lock.json'))).mtimeMs);
}

/** Builds web/dist (`npm run build:web`) unless a build newer than every source is there already. */
export async function ensureWebBuild(log: (line: string) => void = () => undefined): Promise<{ built: boolean }> {
  const built = await stat(join(WEB_DIST, 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  if (built > (await newestSource())) return { built: false };
  log('Building the web app (web/dist)...');
  await new Promise<void>((done, fail) => {
    const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const child = spawn(process.execPath, [vite, 'build', '--config', join(WEB_DIR, 'vite.config.ts'), '--logLevel', 'warn'], {
      cwd: ROOT,
      // The production build whoever calls (vitest sets NODE_ENV=test, which Vite would keep,
      // and React would be bundled in its development mode).
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`the web build failed (exit ${code}); run npm run build:web to see why`))));
  });
  return { built: true };
}
