import { describe, expect, it } from 'vitest';
import { ROUTE_GROUPS, routeGroupOf } from '../../functions/api/route-groups.ts';
import { ROUTES } from '../../functions/api/routes.ts';

describe('the api loads its routes by group', () => {
  it('every route of the table is in the group its path names', async () => {
    for (const route of ROUTES) {
      const group = routeGroupOf(route.path);
      expect(group, `${route.method} ${route.path}`).toBeDefined();
      expect(await ROUTE_GROUPS[group!]!(), `${route.method} ${route.path} in ${group}`).toContain(route);
    }
  });

  it('a group serves no route outside the table, and only paths that lead to it', async () => {
    for (const load of Object.values(ROUTE_GROUPS)) {
      for (const route of await load()) {
        expect(ROUTES, `${route.method} ${route.path}`).toContain(route);
        expect(ROUTE_GROUPS[routeGroupOf(route.path) ?? ''], `${route.method} ${route.path}`).toBe(load);
      }
    }
  });

  it('a path that names no group, or names one through a prototype key, finds none', () => {
    for (const path of ['/', '/openapi.json', '/docs', '/nothing/here', '/constructor', '/__proto__/x', '/toString']) {
      expect(routeGroupOf(path), path).toBeUndefined();
    }
  });
});
