import { buildDeliveryPorts } from '../../shared/composition-webhooks.ts';
import { buildTelemetry } from '../../shared/composition.ts';
import { config } from '../../shared/config.ts';
import { createWebhooksHandler } from './app.ts';

// Cold start: configuration parsed (fails fast), clients created once per container.
const settings = config();
const telemetry = buildTelemetry(settings, 'webhooks');

export const handler = createWebhooksHandler(buildDeliveryPorts(settings, { telemetry }), telemetry);
