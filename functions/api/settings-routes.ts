import { Settings, SettingsPatch, SettingsUpdate, TimeZoneChange } from '../../shared/api/settings.schemas.ts';
import * as z from '../../shared/api/zod.ts';
import type { ZoneChangeJob } from '../../shared/domain/job.ts';
import { DEFAULT_MAX_LATENESS_HOURS, type Settings as StoredSettings } from '../../shared/domain/model.ts';
import { readSettings, saveSettings, type SettingsWithJob } from '../../shared/use-cases/save-settings.ts';
import { getSettings, settingsInput } from '../../shared/use-cases/settings.ts';
import { gatewayUrls, rotateGatewaySecret } from '../../shared/use-cases/sms-gateway.ts';
import { mergePatchRoute } from './merge-patch-route.ts';
import { firmRules } from '../../shared/domain/send-rules.ts';
import { pendingAt, smsLimitsInForce } from '../../shared/domain/sms-limit-changes.ts';
import { route, type Route, type RouteInput } from './route.ts';

/**
 * The settings as the API shows them: the password reference becomes `passwordSet`, the job
 * of the latest change of time zone its progress, and the gateway secret the URLs to paste.
 */
function settingsView(
  { settings, timeZoneChange: job }: SettingsWithJob,
  { ports, tenantId, apiOrigin }: RouteInput<unknown, unknown>,
): z.infer<typeof Settings> {
  const { smsPassword, smsAccount, timeZoneJobId: _jobId, gatewaySecret, ...rest } = settings;
  return {
    ...rest,
    maxLatenessHours: rest.maxLatenessHours ?? DEFAULT_MAX_LATENESS_HOURS,
    ...firmRules(rest),
    ...smsLimitsView(rest, ports),
    createdAt: rest.createdAt || undefined,
    updatedAt: rest.updatedAt || undefined,
    smsAccount: { username: smsAccount?.username, passwordSet: smsPassword !== undefined },
    smsDefaultSender: ports.defaults.smsSender,
    ...(job ? { timeZoneChange: zoneChangeView(job) } : {}),
    ...(gatewaySecret ? { smsGateway: gatewayUrls(apiOrigin, ports.defaults.smsProvider, tenantId, gatewaySecret) } : {}),
  };
}

/** The SMS limits the guard uses now, the raise still waiting, and the deployment's ceiling. */
function smsLimitsView(settings: Omit<StoredSettings, 'smsPassword'>, ports: RouteInput<unknown, unknown>['ports']) {
  const now = ports.clock.now();
  const pending = pendingAt(settings, now);
  const { perDay, perNumberPerHour, countries } = ports.limits.smsCeiling;
  return {
    smsLimits: smsLimitsInForce(settings, now, ports.limits.smsCeiling),
    smsLimitsPending: pending,
    smsLimitsCeiling: { perDay, perNumberPerHour, countries: [...countries] },
  };
}

function zoneChangeView(job: ZoneChangeJob): z.infer<typeof TimeZoneChange> {
  const { id, state, timeZone, replanned, failed, startedAt, updatedAt, finishedAt } = job;
  return { jobId: id, state, timeZone, replanned, failed, startedAt, updatedAt, ...(finishedAt ? { finishedAt } : {}) };
}

const putSettings = route({
  method: 'PUT',
  path: '/settings',
  summary: "Replace the firm's settings",
  tag: 'settings',
  status: 200,
  body: SettingsUpdate,
  response: Settings,
  refusals: [409, 422],
  run: async (input) => settingsView(await saveSettings(input.ports, input.tenantId, input.body), input),
});

export const SETTINGS_ROUTES: Route[] = [
  route({
    method: 'GET',
    path: '/settings',
    summary: "The firm's settings",
    tag: 'settings',
    status: 200,
    response: Settings,
    run: async (input) => settingsView(await readSettings(input.ports, input.tenantId), input),
  }),
  route({
    method: 'POST',
    path: '/settings/sms-gateway/rotate',
    summary: "Replace the secret in the firm's SMS gateway URLs (the old ones stop working)",
    tag: 'settings',
    status: 200,
    response: Settings,
    refusals: [409],
    run: async (input) => {
      await rotateGatewaySecret(input.ports, input.tenantId);
      return settingsView(await readSettings(input.ports, input.tenantId), input);
    },
  }),
  putSettings,
  mergePatchRoute(putSettings, {
    summary: "Change some of the firm's settings (merge patch); the rest stays",
    schema: SettingsPatch,
    item: 'the settings',
    stored: async ({ ports, tenantId }) => settingsInput(await getSettings(ports, tenantId), ports.clock.now()),
    writeOnly: [['smsAccount', 'password']],
  }),
];
