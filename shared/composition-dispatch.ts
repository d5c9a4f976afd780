import { observeCalls } from './adapters/call-observer.ts';
import { SesMailer } from './adapters/ses-mailer.adapter.ts';
import { createSesClient, SES_CONNECTION_TIMEOUT_MS } from './adapters/ses-client.ts';
import { SqsDispatchQueue } from './adapters/sqs-dispatch-queue.adapter.ts';
import { GenericHttpSmsGateway, SveveSmsGateway } from './adapters/sms-gateway.adapter.ts';
import { buildSqsClient, clientOptions, withSettingsCache, withVersionCache, type ClientOverrides } from './composition.ts';
import { buildCorePorts, CORE_VARIABLES } from './composition-core.ts';
import { required, type ConfigOf } from './config.ts';
import type { SendingPorts } from './ports.ts';
import { pacedMailer, pacedSmsGateway, SendPacer } from './use-cases/send-pacing.ts';

/**
 * The variables dispatch reads, and the only ones it parses at cold start (its handler): the
 * compiler holds every port builder to its list.
 */
export const DISPATCH_VARIABLES = [
  ...CORE_VARIABLES,
  'SES_ENDPOINT',
  'SES_TIMEOUT_MS',
  'SES_CONFIGURATION_SET',
  'SES_SENDS_PER_SECOND',
  'SMS_BASE_URL',
  'SMS_TIMEOUT_MS',
  'SMS_SENDS_PER_SECOND',
  'SMS_DEPLOYMENT_PER_DAY',
  'EMAIL_DEFAULT_FROM',
  'CLAIM_LEASE_SECONDS',
  'DISPATCH_QUEUE_URL',
] as const;

/** The dispatch function's ports: the core ones plus SES and the SMS gateway; no Scheduler. */
export function buildSendingPorts(config: ConfigOf<typeof DISPATCH_VARIABLES>, overrides: ClientOverrides = {}): SendingPorts {
  const sqs = buildSqsClient(config, overrides);
  const ports = buildCorePorts(config, overrides, sqs);
  const smsBaseUrl = required(config, 'SMS_BASE_URL');
  const mailer = new SesMailer(
    observeCalls(createSesClient(clientOptions(config, config.SES_ENDPOINT, overrides.credentials?.ses), config.SES_TIMEOUT_MS), overrides.recordCall),
    config.SES_CONFIGURATION_SET,
  );
  const sms =
    config.SMS_PROVIDER === 'sveve' ? new SveveSmsGateway(smsBaseUrl, config.SMS_TIMEOUT_MS) : new GenericHttpSmsGateway(smsBaseUrl, config.SMS_TIMEOUT_MS);
  // One pacer per provider lane and container: the rate is the deployment's, kept in the table.
  // A call's longest: SES connects within its own timeout, then answers within SES_TIMEOUT_MS;
  // the SMS gateway's whole exchange is bounded by SMS_TIMEOUT_MS.
  const lane = (name: string, perSecond: number | undefined, longestCallMs: number) =>
    perSecond ? { pacer: new SendPacer(ports.store, name, perSecond), longestCallMs } : undefined;
  const sesLane = lane('ses', config.SES_SENDS_PER_SECOND, SES_CONNECTION_TIMEOUT_MS + config.SES_TIMEOUT_MS);
  const smsLane = lane(`sms-${config.SMS_PROVIDER}`, config.SMS_SENDS_PER_SECOND, config.SMS_TIMEOUT_MS);
  return {
    ...ports,
    store: withSettingsCache(ports.store, ports.clock, 60_000),
    secrets: withVersionCache(ports.secrets),
    mailer: sesLane ? pacedMailer(mailer, sesLane) : mailer,
    sms: smsLane ? pacedSmsGateway(sms, smsLane) : sms,
    sending: {
      smsDefaultSender: config.SMS_DEFAULT_SENDER,
      emailDefaultFrom: config.EMAIL_DEFAULT_FROM,
      claimLeaseSeconds: config.CLAIM_LEASE_SECONDS,
      smsDeploymentPerDay: config.SMS_DEPLOYMENT_PER_DAY,
    },
    ...(config.DISPATCH_QUEUE_URL ? { dispatchQueue: new SqsDispatchQueue(sqs, config.DISPATCH_QUEUE_URL) } : {}),
  };
}
