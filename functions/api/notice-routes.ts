import { MergeCodeList, Preview, PreviewRequest } from '../../shared/api/preview.schemas.ts';
import * as z from '../../shared/api/zod.ts';
import { MERGE_CODES } from '../../shared/domain/merge-codes.ts';
import { previewNotice } from '../../shared/use-cases/preview-notice.ts';
import { route, type Route } from './route.ts';

const health = route({
  method: 'GET',
  path: '/health',
  summary: 'Liveness',
  tag: 'meta',
  public: true,
  status: 200,
  response: z.object({ status: z.literal('ok') }),
  run: async () => ({ status: 'ok' as const }),
});

const mergeCodes: Route[] = [
  route({
    method: 'GET',
    path: '/merge-codes',
    summary: 'The merge-code catalogue',
    tag: 'notices',
    status: 200,
    response: MergeCodeList,
    run: async () => ({
      items: MERGE_CODES.map(({ code, alias, description, example }) => ({
        code,
        placeholder: `{{${code}}}`,
        alias,
        aliasPlaceholder: `{{${alias}}}`,
        description,
        example,
      })),
    }),
  }),
  route({
    method: 'POST',
    path: '/notices/preview',
    summary: 'Render a notice text for a task and channel',
    tag: 'notices',
    status: 200,
    body: PreviewRequest,
    response: Preview,
    refusals: [404, 422],
    run: ({ ports, tenantId, body }) => previewNotice(ports, tenantId, body),
  }),
];

/** GET /health, the merge-code catalogue and the notice preview. */
export const NOTICE_ROUTES: Route[] = [health, ...mergeCodes];
