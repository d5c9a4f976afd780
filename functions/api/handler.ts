import { buildPorts } from '../../shared/composition-api.ts';
import { buildTelemetry } from '../../shared/composition.ts';
import { config } from '../../shared/config.ts';
import { createApiHandler } from './app.ts';

// Cold start: configuration is parsed (and fails fast); clients, logger and metrics are created once.
const settings = config();
const telemetry = buildTelemetry(settings, 'api');

export const handler = createApiHandler(buildPorts(settings, { telemetry }), telemetry, {
  tenantClaim: settings.TENANT_CLAIM,
  maxBodyBytes: settings.MAX_BODY_BYTES,
});
