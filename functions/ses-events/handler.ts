import { buildEventPorts, buildTelemetry } from '../../shared/composition.ts';
import { config } from '../../shared/config.ts';
import { createSesEventsHandler } from './app.ts';

// This function needs the table and the webhooks queue, not the Scheduler or the document bucket.
const settings = config();
const telemetry = buildTelemetry(settings, 'ses-events');

export const handler = createSesEventsHandler(buildEventPorts(settings, { telemetry }), telemetry);
