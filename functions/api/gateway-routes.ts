import { GenericInbound, GenericReceipt, SveveInbound, SveveReceipt } from '../../shared/api/sms-gateway.schemas.ts';
import type * as z from '../../shared/api/zod.ts';
import { recordSmsReceipt } from '../../shared/use-cases/delivery-receipts.ts';
import { authenticateGateway, GATEWAY_PATH_PREFIX, type GatewayHook } from '../../shared/use-cases/sms-gateway.ts';
import { receiveSms, withoutKeyword } from '../../shared/use-cases/sms-stopp.ts';
import type { Ports } from '../../shared/ports.ts';
import { route, type Route, type RouteInput } from './route.ts';

/**
 * The URLs the SMS gateway calls back: delivery receipts and received SMS, per protocol.
 * No JWT (a gateway cannot sign in): the firm's secret in the path authenticates the call
 * (shared/use-cases/sms-gateway.ts). Every call with the right secret answers 204 whatever it
 * carried, a known delivery or number or not, so the answers tell nothing; a bad tenant or
 * secret is 404.
 */
function gatewayPath(provider: 'sveve' | 'generic', hook: GatewayHook): string {
  return `${GATEWAY_PATH_PREFIX}${provider}/{tenantId}/{secret}/${hook}`;
}

/** Authenticates the call, then hands the firm's tenant id to `act`. */
function asGateway<Body, Query>(act: (ports: Ports, tenantId: string, input: RouteInput<Body, Query>) => Promise<unknown>) {
  return async (input: RouteInput<Body, Query>): Promise<void> => {
    const tenantId = input.params.tenantId!;
    await authenticateGateway(input.ports, tenantId, input.params.secret!);
    await act(input.ports, tenantId, input);
  };
}

function sveveReceipt(ports: Ports, tenantId: string, report: z.output<typeof SveveReceipt>): Promise<unknown> {
  if (!report.ref) return Promise.resolve();
  return recordSmsReceipt(ports, tenantId, {
    reference: report.ref,
    ...(report.id ? { providerId: report.id } : {}),
    delivered: report.status === 'true',
    ...(report.errorCode ? { errorCode: report.errorCode } : {}),
    ...(report.errorDesc ? { errorText: report.errorDesc } : {}),
  });
}

/** Sveve's text may start with the keyword it came in on (`FRIST STOPP`): that is not the message. */
function sveveInbound(ports: Ports, tenantId: string, message: z.output<typeof SveveInbound>): Promise<unknown> {
  return receiveSms(ports, tenantId, { from: message.number, text: withoutKeyword(message.msg, message.prefix) });
}

/** Sveve calls by GET (query parameters) or POST (a form or JSON body), as configured on the account. */
function sveveRoutes<T>(
  hook: GatewayHook,
  schema: z.ZodType<T>,
  act: (ports: Ports, tenantId: string, fields: T) => Promise<unknown>,
  summary: string,
): Route[] {
  const common = { path: gatewayPath('sveve', hook), tag: 'sms-gateway', public: true, status: 204 as const, refusals: [404, 422] };
  return [
    route<undefined, T>({
      ...common,
      method: 'GET',
      summary: `${summary} (Sveve, query parameters)`,
      query: schema,
      run: asGateway((p, t, i) => act(p, t, i.query)),
    }),
    route<T>({ ...common, method: 'POST', summary: `${summary} (Sveve, form or JSON body)`, body: schema, run: asGateway((p, t, i) => act(p, t, i.body)) }),
  ];
}

export const GATEWAY_ROUTES: Route[] = [
  ...sveveRoutes('receipt', SveveReceipt, sveveReceipt, 'A delivery report'),
  ...sveveRoutes('inbound', SveveInbound, sveveInbound, 'A received SMS (STOPP)'),
  route<z.output<typeof GenericReceipt>>({
    method: 'POST',
    path: gatewayPath('generic', 'receipt'),
    summary: 'A delivery report (generic JSON gateway)',
    tag: 'sms-gateway',
    public: true,
    status: 204,
    body: GenericReceipt,
    refusals: [404, 422],
    run: asGateway((ports, tenantId, { body }) =>
      recordSmsReceipt(ports, tenantId, {
        reference: body.reference,
        ...(body.id ? { providerId: body.id } : {}),
        delivered: body.status === 'delivered',
        ...(body.errorCode ? { errorCode: body.errorCode } : {}),
        ...(body.error ? { errorText: body.error } : {}),
      }),
    ),
  }),
  route<z.output<typeof GenericInbound>>({
    method: 'POST',
    path: gatewayPath('generic', 'inbound'),
    summary: 'A received SMS (generic JSON gateway; STOPP)',
    tag: 'sms-gateway',
    public: true,
    status: 204,
    body: GenericInbound,
    refusals: [404, 422],
    run: asGateway((ports, tenantId, { body }) => receiveSms(ports, tenantId, body)),
  }),
];
