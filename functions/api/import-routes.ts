import { JobView } from '../../shared/api/template.schemas.ts';
import * as z from '../../shared/api/zod.ts';
import { startImport } from '../../shared/use-cases/import-job.ts';
import { IMPORT_BODY } from './large-bodies.ts';
import { route, type Route } from './route.ts';
import { jobView } from './template-routes.ts';

/** The uploaded file's bytes, as the body parser passes a `text/csv` body on. */
const CsvFile = z
  .custom<Uint8Array>((value) => value instanceof Uint8Array, { error: 'send the CSV file as the body (Content-Type: text/csv)' })
  .openapi({
    type: 'string',
    description:
      'A CSV file of customers and tasks, UTF-8 with or without BOM, `;` or `,` between fields, dates as dd.mm.yyyy or ISO; at most 5,000 rows and 2 MiB. docs/api.md ("Importing customers and tasks") lists the columns.',
  });

export const IMPORT_ROUTES: Route[] = [
  route({
    method: 'POST',
    path: '/imports',
    summary: 'Import customers and tasks from a CSV file, in the background (a job)',
    tag: 'jobs',
    status: 202,
    body: CsvFile,
    bodyMediaType: IMPORT_BODY.mediaType,
    response: JobView,
    refusals: [409, 422],
    idempotent: true,
    run: async ({ ports, tenantId, body, idempotency }) => jobView(ports, tenantId, await startImport(ports, tenantId, body, idempotency)),
  }),
];
