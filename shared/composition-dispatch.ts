import { observeCalls } from './adapters/call-observer.ts';
import { createSesClient, SesMailer } from './adapters/ses-mailer.adapter.ts';
import { GenericHttpSmsGateway, SveveSmsGateway } from './adapters/sms-gateway.adapter.ts';
import { clientOptions, withSettingsCache, withVersionCache, type ClientOverrides } from './composition.ts';
import { buildCorePorts } from './composition-core.ts';
import { required, type Config } from './config.ts';
import type { SendingPorts } from './ports.ts';

/** The dispatch function's ports: the core ones plus SES and the SMS gateway; no Scheduler. */
export function buildSendingPorts(config: Config, overrides: ClientOverrides = {}): SendingPorts {
  const ports = buildCorePorts(config, overrides);
  const smsBaseUrl = required(config, 'SMS_BASE_URL');
  return {
    ...ports,
    store: withSettingsCache(ports.store, ports.clock, 60_000),
    secrets: withVersionCache(ports.secrets),
    mailer: new SesMailer(
      observeCalls(createSesClient(clientOptions(config, config.SES_ENDPOINT, overrides.credentials?.ses), config.SES_TIMEOUT_MS), overrides.recordCall),
      config.SES_CONFIGURATION_SET,
    ),
    sms:
      config.SMS_PROVIDER === 'sveve' ? new SveveSmsGateway(smsBaseUrl, config.SMS_TIMEOUT_MS) : new GenericHttpSmsGateway(smsBaseUrl, config.SMS_TIMEOUT_MS),
    sending: {
      smsDefaultSender: config.SMS_DEFAULT_SENDER,
      emailDefaultFrom: config.EMAIL_DEFAULT_FROM,
      claimLeaseSeconds: config.CLAIM_LEASE_SECONDS,
      smsDeploymentPerDay: config.SMS_DEPLOYMENT_PER_DAY,
    },
  };
}
