import { parseConfig } from '../shared/config.ts';
import { dataPaths, DEFAULT_DATA_DIR } from './local-data.ts';
import { loadLocalJwt } from './local-jwt.ts';

/**
 * `npm run token -- <tenantId> [--hours N]`: a bearer token for a tenant, signed with the
 * local key in .frist/. The local stack accepts it; no AWS deployment does.
 */
const [tenantId, flag, hours] = process.argv.slice(2);
if (!tenantId || !/^[A-Za-z0-9_-]{1,64}$/.test(tenantId) || (flag !== undefined && (flag !== '--hours' || !/^\d+$/.test(hours ?? '')))) {
  console.error('usage: npm run token -- <tenantId> [--hours N]   (tenantId: 1-64 of A-Z a-z 0-9 _ -)');
  process.exit(2);
}
const claim = parseConfig(process.env, ['TENANT_CLAIM']).TENANT_CLAIM;
const jwt = await loadLocalJwt(dataPaths(process.env.FRIST_DATA_DIR ?? DEFAULT_DATA_DIR).jwtKey);
console.log(await jwt.sign({ [claim]: tenantId, sub: `local-user@${tenantId}` }, `${hours ?? 12}h`));
