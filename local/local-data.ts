import { join, resolve } from 'node:path';

/** The local data folder (git ignores it): the JWT key, persisted tables and documents. */
export const DEFAULT_DATA_DIR = resolve(import.meta.dirname, '..', '.frist');

export const dataPaths = (dir: string) => ({
  jwtKey: join(dir, 'jwt-key.json'),
  dynamodb: join(dir, 'dynamodb'),
  secrets: join(dir, 'secrets.json'),
});
