import { buildSendingPorts } from '../../shared/composition.ts';
import { config } from '../../shared/config.ts';
import { createDispatchHandler } from './app.ts';

// Cold start: configuration parsed (fails fast), clients created once per container.
export const handler = createDispatchHandler(buildSendingPorts(config()));
