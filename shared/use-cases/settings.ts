import type * as z from 'zod';
import type { SettingsInput, SettingsUpdate } from '../api/settings.schemas.ts';
import type { Settings } from '../domain/model.ts';
import { DEFAULT_TIME_ZONE } from '../domain/time-zone.ts';
import { firmRules } from '../domain/send-rules.ts';
import { ceilingIssues, changeSmsLimits, maxOf, requestedLimitsAt, savedLimitsAt, type SmsLimitsPending } from '../domain/sms-limit-changes.ts';
import type { SmsLimits } from '../domain/sms-limits.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import type { Ports } from '../ports.ts';
import { newGatewaySecret } from './sms-gateway.ts';

/** What a tenant that never saved its settings has: version 0. */
export function defaultSettings(): Settings {
  return { firm: {}, timeZone: DEFAULT_TIME_ZONE, smsSenderActivated: false, version: 0, createdAt: '', updatedAt: '' };
}

/**
 * The stored settings as a PUT would send them back, the base a merge patch applies to. The
 * password is write-only and left out: a PUT without it keeps the stored one.
 */
export function settingsInput(settings: Settings, now: Date): z.input<typeof SettingsUpdate> {
  const { firm, timeZone, emailSender, smsAccount, smsSender, smsSenderActivated, maxLatenessHours, sendOn, quietHours, smsOptOutLine, version } = settings;
  // With the rules' defaults, so that a patch of one member of `quietHours` (`{ enabled: false }`)
  // applies to the window a firm that never set it has.
  const rules = firmRules({ sendOn, quietHours });
  // The SMS limits the firm asked for, a waiting raise included: a patch of anything else
  // leaves the raise waiting, at its time.
  const smsLimits = requestedLimitsAt(settings, now);
  return { firm, timeZone, emailSender, smsAccount, smsSender, smsSenderActivated, maxLatenessHours, ...rules, smsLimits, smsOptOutLine, version };
}

export async function getSettings({ store }: Pick<Ports, 'store'>, tenantId: string): Promise<Settings> {
  return (await store.getSettings(tenantId)) ?? defaultSettings();
}

/**
 * Replaces the tenant's settings.
 * 1. Refuse a stale version (the one read must be the one stored; 0 before the first save).
 * 2. The SMS password: omitted keeps the stored one, null removes it, a value is written
 *    to the secret store as a new version, which the settings then name. Removing the SMS
 *    account removes its password too.
 * 3. The SMS limits: over the deployment's ceiling is refused (422); a lowering is in force
 *    at once, a raise waits (shared/domain/sms-limit-changes.ts).
 * 4. One conditional write, so a concurrent save loses with 409 instead of overwriting. Only
 *    then is a new raise told to the operator (a metric, a warning in the log): a save that
 *    lost its write asked for nothing.
 * The first save also makes the secret of the firm's gateway URLs (sms-gateway.ts).
 * The settings name the job of the latest change of time zone: `timeZoneJobId` when given,
 * else the one they named.
 */
export async function putSettings(ports: Ports, tenantId: string, input: SettingsInput, read?: Settings, timeZoneJobId?: string): Promise<Settings> {
  const current = read ?? (await getSettings(ports, tenantId));
  checkVersion(current, input.version);
  const at = ports.clock.now();
  const now = at.toISOString();
  const limits = smsLimitsChange(ports, current, input.smsLimits, at);
  const password = input.smsAccount?.password;
  const smsPassword =
    !input.smsAccount || password === null
      ? undefined
      : password === undefined
        ? current.smsPassword
        : await ports.secrets.put(tenantId, 'sms-password', password);
  const next: Settings = {
    firm: input.firm,
    timeZone: input.timeZone,
    emailSender: input.emailSender,
    smsAccount: input.smsAccount ? { username: input.smsAccount.username } : undefined,
    smsSender: input.smsSender,
    smsSenderActivated: input.smsSenderActivated,
    maxLatenessHours: input.maxLatenessHours,
    sendOn: input.sendOn,
    quietHours: input.quietHours,
    smsLimits: limits.smsLimits,
    smsLimitsPending: limits.smsLimitsPending,
    smsOptOutLine: input.smsOptOutLine,
    smsPassword,
    timeZoneJobId: timeZoneJobId ?? current.timeZoneJobId,
    gatewaySecret: current.gatewaySecret ?? newGatewaySecret(),
    version: current.version + 1,
    createdAt: current.createdAt || now,
    updatedAt: now,
  };
  await ports.store.putSettings(tenantId, next, input.version);
  if (limits.raised) announceRaise(ports, tenantId, limits.smsLimitsPending!);
  return next;
}

/** The SMS limits a save asking for `wanted` leaves; refused over the deployment's ceiling. */
function smsLimitsChange(ports: Ports, current: Settings, wanted: SmsLimits, now: Date): ReturnType<typeof changeSmsLimits> {
  checkSmsCeiling(ports, current, wanted, now);
  return changeSmsLimits(current, wanted, now, ports.limits.smsRaiseDelayHours);
}

/** Refuses SMS limits over the deployment's ceiling that the firm does not already have (422 naming each field). */
export function checkSmsCeiling(ports: Pick<Ports, 'limits'>, current: Settings, wanted: SmsLimits, now: Date): void {
  const had = maxOf(savedLimitsAt(current, now), requestedLimitsAt(current, now));
  const issues = ceilingIssues(wanted, had, ports.limits.smsCeiling);
  if (issues.length) throw new ValidationError(issues);
}

/**
 * A raise could be a thief's: the operator hears of it while it waits (the alarm on
 * `SmsCapRaiseRequested`, README "Alarms"). The log names the firm and the caps, nothing personal.
 */
function announceRaise(ports: Ports, tenantId: string, pending: SmsLimitsPending): void {
  ports.metrics.count('SmsCapRaiseRequested', {});
  const { allowedCountries, perDay, perNumberPerHour, effectiveAt } = pending;
  ports.log.warn('SMS caps raise requested', { tenantId, allowedCountries, perDay, perNumberPerHour, effectiveAt });
}

/** The version read must be the one stored (0 before the first save), or the save is refused with 409. */
export function checkVersion(current: Settings, version: number): void {
  if (current.version !== version) {
    throw new ConflictError(`the settings are at version ${current.version}, not ${version}; read them again and reapply your change`);
  }
}
