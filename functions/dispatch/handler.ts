import { buildSendingPorts } from '../../shared/composition-dispatch.ts';
import { buildTelemetry } from '../../shared/composition.ts';
import { config } from '../../shared/config.ts';
import { createDispatchHandler } from './app.ts';

// Cold start: configuration parsed (fails fast), clients, logger and metrics created once per container.
const settings = config();
const telemetry = buildTelemetry(settings, 'dispatch');

export const handler = createDispatchHandler(buildSendingPorts(settings, { telemetry }), telemetry);
