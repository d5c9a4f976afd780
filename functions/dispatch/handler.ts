import { buildSendingPorts, DISPATCH_VARIABLES } from '../../shared/composition-dispatch.ts';
import { buildTelemetry } from '../../shared/composition.ts';
import { config } from '../../shared/config.ts';
import { createDispatchHandler } from './app.ts';

// Cold start: the variables dispatch reads parsed (fails fast), clients, logger and metrics created once per container.
const settings = config(DISPATCH_VARIABLES);
const telemetry = buildTelemetry(settings, 'dispatch');

export const handler = createDispatchHandler(buildSendingPorts(settings, { telemetry }), telemetry);
