import { buildPorts } from '../../shared/composition-api.ts';
import { buildTelemetry } from '../../shared/composition.ts';
import { config } from '../../shared/config.ts';
import { createReconcilerHandler } from './app.ts';

const settings = config();
const telemetry = buildTelemetry(settings, 'reconciler');

export const handler = createReconcilerHandler(buildPorts(settings, { telemetry }), telemetry, {
  horizonHours: settings.RECONCILE_HORIZON_HOURS,
  graceMinutes: settings.RECONCILE_GRACE_MINUTES,
});
