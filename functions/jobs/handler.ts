import { buildPorts } from '../../shared/composition-api.ts';
import { buildTelemetry } from '../../shared/composition.ts';
import { config } from '../../shared/config.ts';
import { createJobsHandler } from './app.ts';

// Cold start: configuration parsed (fails fast), clients created once per container.
const settings = config();
const telemetry = buildTelemetry(settings, 'jobs');

export const handler = createJobsHandler(buildPorts(settings, { telemetry }), telemetry);
