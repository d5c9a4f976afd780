import { buildLogger, buildTablePorts } from '../../shared/composition.ts';
import { config } from '../../shared/config.ts';
import { createSesEventsHandler } from './app.ts';

// This function needs the table only, not the Scheduler or the document bucket.
const settings = config();

export const handler = createSesEventsHandler({ ...buildTablePorts(settings), log: buildLogger(settings, 'frist-ses-events') });
