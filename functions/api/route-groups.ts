import { GATEWAY_PATH_PREFIX } from '../../shared/use-cases/sms-gateway.ts';
import type { Route } from './route.ts';

/*
 * The api's routes in groups, each loaded by `import()` on the first request that needs it, so
 * a cold start builds the schemas of the routes it serves and not those of the others. In the
 * single-file bundle esbuild makes (the CDK's NodejsFunction cannot ship split chunks), a
 * module reached only through `import()` is still evaluated only when imported. A request
 * finds its group by the first segment of its path; test/unit/route-groups.test.ts checks
 * that each route of the table (routes.ts) is in the group its path names.
 */
const notices = () => import('./notice-routes.ts').then((m) => m.NOTICE_ROUTES);
const tasks = () => import('./task-routes.ts').then((m) => [...m.TASK_ROUTES, ...m.DOCUMENT_ROUTES]);
const templates = () => import('./template-routes.ts').then((m) => m.TEMPLATE_ROUTES);

export const ROUTE_GROUPS: Readonly<Record<string, () => Promise<Route[]>>> = {
  health: notices,
  'merge-codes': notices,
  notices,
  settings: () => import('./settings-routes.ts').then((m) => m.SETTINGS_ROUTES),
  customers: () => import('./customer-routes.ts').then((m) => m.CUSTOMER_ROUTES),
  tasks,
  documents: tasks,
  templates,
  jobs: templates,
  imports: () => import('./import-routes.ts').then((m) => m.IMPORT_ROUTES),
  [GATEWAY_PATH_PREFIX.replaceAll('/', '')]: () => import('./gateway-routes.ts').then((m) => m.GATEWAY_ROUTES),
  webhooks: () => import('./webhook-routes.ts').then((m) => m.WEBHOOK_ROUTES),
};

/** The group that serves `path` (`/tasks/{id}/plan`: tasks), or undefined when no route's path starts so. */
export function routeGroupOf(path: string): string | undefined {
  const segment = path.split('/')[1] ?? '';
  return Object.hasOwn(ROUTE_GROUPS, segment) ? segment : undefined;
}
