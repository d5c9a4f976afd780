import { buildTablePorts, buildTelemetry } from '../../shared/composition.ts';
import { config } from '../../shared/config.ts';
import { createSesEventsHandler } from './app.ts';

// This function needs the table only, not the Scheduler or the document bucket.
const settings = config();
const telemetry = buildTelemetry(settings, 'ses-events');

export const handler = createSesEventsHandler(buildTablePorts(settings, { telemetry }), telemetry);
