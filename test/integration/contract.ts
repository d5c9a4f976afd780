import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** An OpenAPI document as served: only the parts the checks read. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
}

export interface Operation {
  key: string;
  method: string;
  path: string;
}

/** Every operation of the document, `METHOD /path`. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path })),
  );
}

/**
 * The document made strict for checking answers: an object schema that does not say which
 * other fields it allows allows none, so a field the service sends but the document does not
 * declare fails. (The served document stays open, so clients tolerate new fields.)
 */
function strict(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strict);
  if (typeof value !== 'object' || value === null) return value;
  const copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strict(v)]));
  const isObjectSchema = copy.type === 'object' || (copy.properties !== undefined && typeof copy.properties === 'object');
  if (isObjectSchema && !('additionalProperties' in copy)) copy.additionalProperties = false;
  return copy;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/**
 * Checks HTTP answers against the document: the status must be documented for the operation,
 * the content type among the status's media types, and the body valid against its schema,
 * strictly. Returns what is wrong, or an empty list.
 */
export function responseChecker(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...(strict(doc) as object), $id: 'openapi' });
  const templates = operationsOf(doc).map((op) => ({ ...op, pattern: new RegExp(`^${op.path.replace(/\{\w+\}/g, '[^/]+').replaceAll('.', '\\.')}$`) }));

  /** The operation a concrete request is, or undefined when the document does not describe it. */
  const operationFor = (method: string, path: string) => templates.find((t) => t.method === method.toUpperCase() && t.pattern.test(path.split('?')[0]!));

  function check(operation: Operation, res: { status: number; headers: Headers; body: unknown }): string[] {
    const responses = doc.paths[operation.path]![operation.method.toLowerCase()]!.responses;
    const documented = responses[String(res.status)];
    if (!documented) return [`${operation.key}: status ${res.status} is not documented (${Object.keys(responses).join(', ')})`];
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (!documented.content) return res.body === undefined || res.body === '' ? [] : [`${operation.key} ${res.status}: a body where none is documented`];
    if (!documented.content[type]) return [`${operation.key} ${res.status}: content type ${type} is not documented`];
    const validate = ajv.getSchema(
      `openapi#/${pointer('paths', operation.path, operation.method.toLowerCase(), 'responses', String(res.status), 'content', type, 'schema')}`,
    )!;
    if (validate(res.body)) return [];
    return (validate.errors ?? []).map((e) => `${operation.key} ${res.status}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
  }

  return { operationFor, check };
}
