import { MethodNotAllowedError, NotFoundError } from '../../shared/errors.ts';

/**
 * The router's answer when no route takes `METHOD path`: a path some route serves under
 * another method is 405 with the methods it takes in `Allow` (RFC 9110 15.5.6), so a client
 * can tell a wrong method from a wrong path; any other path is 404.
 */
export function routeMiss(routes: readonly { method: string; path: string }[]) {
  const templates = routes.map((r) => ({ method: r.method, pattern: templatePattern(r.path) }));
  return ({ path }: { method: string; path: string }): never => {
    const trimmed = path.length > 1 ? path.replace(/\/$/, '') : path;
    const allow = [...new Set(templates.filter((t) => t.pattern.test(trimmed)).map((t) => t.method))];
    if (allow.length) throw new MethodNotAllowedError(`this path takes ${allow.join(', ')}`, allow);
    throw new NotFoundError('no such route');
  };
}

/** `/tasks/{id}/plan` as a regular expression: a parameter is one path segment, as for the router. */
function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{\w+\})/)
    .map((part) => (/^\{\w+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}
