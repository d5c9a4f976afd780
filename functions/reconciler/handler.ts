import { buildPorts } from '../../shared/composition.ts';
import { config } from '../../shared/config.ts';
import { createReconcilerHandler } from './app.ts';

const settings = config();

export const handler = createReconcilerHandler(buildPorts(settings), { horizonHours: settings.RECONCILE_HORIZON_HOURS, graceMinutes: settings.RECONCILE_GRACE_MINUTES });
