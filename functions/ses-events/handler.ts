import { buildLogger } from '../../shared/composition.ts';
import { createDynamoDbClient, DynamoDbStore } from '../../shared/adapters/dynamodb-store.ts';
import { config } from '../../shared/config.ts';
import { createSesEventsHandler } from './app.ts';

// This function needs the table only, not the Scheduler or the document bucket.
const settings = config();

export const handler = createSesEventsHandler({
  store: new DynamoDbStore(createDynamoDbClient({ region: settings.AWS_REGION }), settings.TABLE_NAME),
  clock: { now: () => new Date() },
  log: buildLogger(settings, 'frist-ses-events'),
});
