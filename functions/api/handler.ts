import { buildLogger, buildPorts } from '../../shared/composition.ts';
import { config } from '../../shared/config.ts';
import { createApiHandler } from './app.ts';

// Cold start: configuration is parsed (and fails fast) and clients are created once.
const settings = config();

export const handler = createApiHandler(buildPorts(settings), {
  tenantClaim: settings.TENANT_CLAIM,
  maxBodyBytes: settings.MAX_BODY_BYTES,
  logger: buildLogger(settings, 'frist-api'),
});
