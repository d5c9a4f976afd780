import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The local data folder (git ignores it): the JWT key, the sealing key, persisted tables. */
export const DEFAULT_DATA_DIR = resolve(import.meta.dirname, '..', '.frist');

export const dataPaths = (dir: string) => ({
  jwtKey: join(dir, 'jwt-key.json'),
  secretsKey: join(dir, 'secrets.key'),
  dynamodb: join(dir, 'dynamodb'),
});

/** The key that seals SMS passwords locally, made once per data folder. */
export async function loadOrCreateSecretsKey(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const key = randomBytes(32).toString('base64');
    await mkdir(resolve(file, '..'), { recursive: true });
    await writeFile(file, key, { mode: 0o600 });
    return key;
  }
}
