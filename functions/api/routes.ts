import { CUSTOMER_ROUTES } from './customer-routes.ts';
import { DOCS_ROUTES } from './docs-page.ts';
import { GATEWAY_ROUTES } from './gateway-routes.ts';
import { IMPORT_ROUTES } from './import-routes.ts';
import { NOTICE_ROUTES } from './notice-routes.ts';
import type { Route } from './route.ts';
import { SETTINGS_ROUTES } from './settings-routes.ts';
import { DOCUMENT_ROUTES, TASK_ROUTES } from './task-routes.ts';
import { TEMPLATE_ROUTES } from './template-routes.ts';
import { WEBHOOK_ROUTES } from './webhook-routes.ts';

/** Every route but /openapi.json, which is generated from this table (see openapi.ts), and the reference page /docs (docs-page.ts). */
export const ROUTES: Route[] = [
  ...NOTICE_ROUTES,
  ...SETTINGS_ROUTES,
  ...CUSTOMER_ROUTES,
  ...TASK_ROUTES,
  ...TEMPLATE_ROUTES,
  ...IMPORT_ROUTES,
  ...DOCUMENT_ROUTES,
  ...GATEWAY_ROUTES,
  ...WEBHOOK_ROUTES,
];

/** `METHOD /path` of the routes served without a token: the authorizer skips them. */
export const PUBLIC_ROUTE_KEYS: readonly string[] = [
  ...ROUTES.filter((r) => r.public).map((r) => `${r.method} ${r.path}`),
  'GET /openapi.json',
  ...DOCS_ROUTES.map((r) => `GET ${r.path}`),
];
