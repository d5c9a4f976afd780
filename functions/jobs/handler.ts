import { buildPorts } from '../../shared/composition.ts';
import { config } from '../../shared/config.ts';
import { createJobsHandler } from './app.ts';

// Cold start: configuration parsed (fails fast), clients created once per container.
export const handler = createJobsHandler(buildPorts(config()));
