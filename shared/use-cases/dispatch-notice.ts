import { randomUUID } from 'node:crypto';
import { deliveryId, type Delivery, type SkipReason } from '../domain/delivery.ts';
import { mergeValuesForTexts } from '../domain/merge-values.ts';
import { Temporal } from 'temporal-polyfill';
import { deadlineEnds } from '../domain/deadline.ts';
import { DEFAULT_MAX_LATENESS_HOURS, type Channel, type Settings, type Task } from '../domain/model.ts';
import { smsLimitsInForce } from '../domain/sms-limit-changes.ts';
import type { SmsCapRule } from '../domain/sms-limits.ts';
import type { DispatchEvent, SendingPorts } from '../ports.ts';
import { endClaim, fileEmail, fileSms, sendClaimed, type Claim, type FiledEmail, type SendContext } from './send-delivery.ts';
import { batchReads, type BatchReads } from './batch-reads.ts';
import { firmRules, inQuietHours, occurrenceChannels, quietHoursEnd, quietMillisBetween } from '../domain/send-rules.ts';

/**
 * What became of a channel in one invocation. `retry` means the invocation must come back
 * later: a transient failure, an unknown outcome, or another attempt's live claim. `held`:
 * an SMS inside the firm's quiet hours waits, recorded with its `heldUntil`, for the
 * reconciler to hand it back at the window's end (the queue's retries would not last).
 */
export type ChannelOutcome = 'sent' | 'failed' | 'skipped' | 'duplicate' | 'retry' | 'held';

/**
 * Why a channel ended as it did: the skip reason of a skipped one; the delivery's code of a
 * failed one or one that must come back, and whether its provider call ended without a
 * readable answer (`unknown`: the recipient may have the message).
 */
export type ChannelDetail = { reason: SkipReason; rule?: SmsCapRule } | { code: string; unknown?: true };

/** One channel's outcome, with its detail where there is one. */
export interface ChannelResult {
  outcome: ChannelOutcome;
  detail?: ChannelDetail;
}

export interface DispatchReport {
  outcomes: Partial<Record<Channel, ChannelOutcome>>;
  /** Per channel, why it was skipped, failed or must come back: what the metrics count by. */
  details?: Partial<Record<Channel, ChannelDetail>>;
  /** Set when the event concerns nothing the firm planned, so no record is written. */
  ignored?: 'task-deleted' | 'not-planned';
  reason?: SkipReason;
}

/**
 * Sends one notice occurrence, once, when its schedule fires (through the dispatch queue).
 * 1. Read the task (with the customer the message names and the firm's settings, when it
 *    names one: see askWithTask). No task, or an occurrence the stored plan does not have at this instant
 *    (a schedule left by a failed or lost save, or by a change), is ignored: no record, as
 *    nothing planned is concerned. A completed task records `skipped task-completed`.
 * 2. Later than the firm's maximum lateness: `skipped too-late` (a delivery that was being
 *    retried ends `failed`). Time an SMS waited for the end of quiet hours does not count.
 * 3. Per channel: no address, opted out, suppressed or (SMS) a country the firm does not
 *    allow is a recorded skip; an SMS inside quiet hours (a retry or a late send of one
 *    planned outside them) is held, unless it is a reminder the hold would carry past its
 *    deadline, which is given up as too late; else claim it.
 *    A live claim of another attempt means `retry`: that attempt may yet die.
 * 4. Read the task again, consistently, after the claims: if it was completed, deleted or
 *    re-planned meanwhile, the claims end as skipped and nothing is sent. This read is what
 *    lets a completion promise that no send starts after it answered (see settle-removed.ts).
 *    For an SMS the customer is read again too: a STOPP since step 3 ends it `opted-out`.
 *    An e-mail's copy is filed in the archive during this read (fileEmails).
 * 5. Send each claimed channel (see send-delivery.ts).
 * Every read of the task, the settings and the customer goes through `reads` (batch-reads.ts):
 * a batch's messages read together, one call for all the items they ask for at one moment.
 * Those of steps 1 to 3 are shared; those of step 4 are made afresh after each claim. The
 * customer is read after the task only when the message names none or another than the task's.
 * `deadline` (wall-clock epoch ms) is when the invocation is stopped: a send that cannot be
 * over well before it is not started (send-delivery.ts, sendBounds), and comes back later.
 */
export async function dispatchNotice(
  ports: SendingPorts,
  event: DispatchEvent,
  reads: BatchReads = batchReads(ports).notice(),
  deadline?: number,
): Promise<DispatchReport> {
  const { tenantId } = event;
  askWithTask(reads, event);
  const task = await reads.task(tenantId, event.taskId);
  const notice = task?.notices.find((n) => n.id === event.noticeId);
  if (!task || !notice) return endLeftovers(ports, event, notice?.channels ?? ALL_CHANNELS, task ? 'not-planned' : 'task-deleted');
  // Quiet hours may have split the occurrence: only the channels planned at this instant.
  const planned = occurrenceChannels(task, event.noticeId, event.occurrenceAt);
  const channels = planned.length ? planned : notice.channels;
  const skipAll = async (reason: SkipReason, customerId?: string): Promise<DispatchReport> => {
    const results = await Promise.all(channels.map((channel) => skip(ports, event, channel, reason, customerId)));
    return { ...reportOf(channels, results), reason };
  };
  if (task.status === 'completed' && inPlan(task, event)) return skipAll('task-completed', task.customerId);
  if (!isPlanned(task, event)) return endLeftovers(ports, event, channels, 'not-planned');

  // The task's own customer: the read asked with the task when the message named this one,
  // else a read of its own (the message named none, or one the task has left), asked with the
  // settings so that a batch reads both in one call; unused when all is too late.
  const customerRead = reads.customer(tenantId, task.customerId);
  customerRead.catch(() => undefined);
  const settings = await reads.settings(tenantId);
  const now = ports.clock.now();
  const late = channels.filter((channel) => tooLate(settings, event.occurrenceAt, channel, now));
  const lateResults = await Promise.all(late.map((channel) => giveUpLate(ports, event, channel, task.customerId)));
  if (late.length === channels.length) return { ...reportOf(channels, lateResults), reason: 'too-late' };
  const customer = await customerRead;
  if (!customer) return skipAll('stale');

  // The texts renderNotice fills in: the message, and the subject or the task's title in its place.
  const values = await mergeValuesForTexts([notice.message, notice.subject ?? task.title], task, customer, settings, now);
  const context: SendContext = { ports, event, task, notice, customer, settings, values, deadline };
  // Channels are independent: one that fails here must not leave the other's claim behind.
  const onTime = channels.filter((c) => !late.includes(c));
  const prepared = await eachSettled(onTime, (channel) => claimChannel(context, channel));
  const claims = prepared.filter((p): p is Claim => !('outcome' in p));
  const results = new Map<Channel, ChannelResult>([
    ...late.map((c, i) => [c, lateResults[i]!] as const),
    ...prepared.flatMap((p, i) => ('outcome' in p ? [[onTime[i]!, p] as const] : [])),
  ]);
  if (claims.length) {
    const filings = fileEmails(context, claims);
    try {
      const sent = await sendIfStillPlanned(context, reads, claims, filings);
      claims.forEach((claim, i) => results.set(claim.channel, sent[i]!));
    } finally {
      // A copy filed for a claim the read released is not left being written behind the invocation.
      await Promise.allSettled(filings.values());
    }
  }
  return reportOf(
    channels,
    channels.map((c) => results.get(c)!),
  );
}

/**
 * The message's customer (a hint of the schedule: the task's customer when it was written)
 * and the firm's settings, asked for with the task, so that the three are one read: the batch
 * joins what is asked at one moment (batch-reads.ts). The hint only names which customer of the
 * message's firm to read; dispatch sends to the customer the task names, read apart when it is
 * another. Nothing waits for these reads: a task deleted or done meanwhile leaves them unused.
 */
function askWithTask(reads: BatchReads, event: DispatchEvent): void {
  if (!event.customerId) return;
  reads.customer(event.tenantId, event.customerId).catch(() => undefined);
  reads.settings(event.tenantId).catch(() => undefined);
}

/** Step 4 and 5: reads the task again after the claims, then sends each claim or lets it go. */
async function sendIfStillPlanned(context: SendContext, reads: BatchReads, claims: Claim[], filings: Map<Claim, Promise<FiledEmail>>) {
  const { ports, event } = context;
  let verdict: Awaited<ReturnType<typeof readAfterClaims>>;
  try {
    verdict = await readAfterClaims(context, reads, claims);
  } catch {
    // Nothing reached the provider: the claims are let go, so that the next attempt takes
    // them as unsent, not as a dead attempt's that may have sent (possibleDuplicate).
    return eachSettled(claims, (claim) => letGo(context, claim, READ_FAILED));
  }
  const { gone, recipientChanged, stopped } = verdict;
  return eachSettled(claims, async (claim) => {
    if (gone) return release(context, claim, gone);
    if (recipientChanged) return letGo(context, claim, CUSTOMER_CHANGED);
    if (stopped && claim.channel === 'sms') return release(context, claim, 'opted-out');
    const result = await sendClaimed(context, claim, filings.get(claim));
    return result.outcome === 'held' ? settleIfGone(ports, event, claim.channel, result) : result;
  });
}

/** Step 4's reads: whether the occurrence is gone, its task given to another customer, or the customer's SMS stopped. */
async function readAfterClaims({ event, task, customer }: SendContext, reads: BatchReads, claims: Claim[]) {
  const current = await reads.taskNow(event.tenantId, event.taskId);
  const gone = goneReason(current, event);
  // Given to another customer meanwhile: the claims are let go for the next attempt, which
  // reads the new customer; this one would send to the old one.
  const recipientChanged = !gone && current!.customerId !== task.customerId;
  // A STOPP that came after the opt-in check above: read again right before the send.
  const stopped = !gone && !recipientChanged && claims.some((c) => c.channel === 'sms') && !(await smsStillOn(reads, event.tenantId, customer.id));
  return { gone, recipientChanged, stopped };
}

/**
 * The claimed e-mails' copies, filed while the task is read again rather than after: the
 * archive is not the provider, so "never after done" still holds (the send waits for the
 * read), and the copy is still filed before the send. A claim released by that read leaves its
 * copy unlisted (see fileEmail); its failure is then nobody's concern, and the send that
 * awaits a filing meets the failure as it would have met it filing there.
 */
function fileEmails(context: SendContext, claims: Claim[]): Map<Claim, Promise<FiledEmail>> {
  const filings = new Map(claims.filter((c) => c.channel === 'email').map((c) => [c, fileEmail(context, c)] as const));
  for (const filing of filings.values()) filing.catch(() => undefined);
  return filings;
}

/** The report of the channels' results, in the notice's channel order; `details` only when some has one. */
function reportOf(channels: Channel[], results: ChannelResult[]): DispatchReport {
  const outcomes = Object.fromEntries(channels.map((c, i) => [c, results[i]!.outcome]));
  const details = Object.fromEntries(channels.flatMap((c, i) => (results[i]!.detail ? [[c, results[i]!.detail]] : [])));
  return Object.keys(details).length ? { outcomes, details } : { outcomes };
}

/**
 * Runs `step` for every item side by side and waits for all of them; one that throws (a
 * store or S3 failure) becomes `retry` for its own item only, so the invocation comes back.
 */
async function eachSettled<T, R>(items: T[], step: (item: T) => Promise<R>): Promise<(R | ChannelResult)[]> {
  const results = await Promise.allSettled(items.map(step));
  return results.map((r) => (r.status === 'fulfilled' ? r.value : INTERNAL_FAILURE));
}

const INTERNAL_FAILURE: ChannelResult = { outcome: 'retry', detail: { code: 'internal' } };

/** The stored plan has this occurrence, still to be sent, at this very instant. */
function isPlanned(task: Task, event: DispatchEvent): boolean {
  return task.status === 'open' && task.plan.occurrences.some((o) => o.noticeId === event.noticeId && o.at === event.occurrenceAt && o.state === 'scheduled');
}

/** Why the occurrence is no longer to be sent, as read after a claim; undefined while it is. */
function goneReason(current: Task | undefined, event: DispatchEvent): SkipReason | undefined {
  if (!current) return 'task-deleted';
  if (current.status === 'completed') return 'task-completed';
  return isPlanned(current, event) ? undefined : 'replanned';
}

/** The stored plan has this occurrence at this instant, in any state (completion stopped it). */
function inPlan(task: Task, event: DispatchEvent): boolean {
  return task.plan.occurrences.some((o) => o.noticeId === event.noticeId && o.at === event.occurrenceAt);
}

/**
 * Whether the firm's SMS limits in force allow the mobile's country. libphonenumber is loaded
 * on the first SMS of a container, not at its start: an e-mail does not need it (see
 * mergeValuesForTexts).
 */
async function smsCountryAllowed({ ports, customer, settings }: SendContext): Promise<boolean> {
  const { countryAllowed } = await import('../domain/sms-countries.ts');
  return countryAllowed(customer.mobile!, smsLimitsInForce(settings, ports.clock.now(), ports.limits.smsCeiling));
}

/** Pre-checks, then the claim; a result is the channel's end without a claim. */
async function claimChannel(context: SendContext, channel: Channel): Promise<Claim | ChannelResult> {
  const { ports, event, customer } = context;
  if (!(channel === 'email' ? customer.email : customer.mobile)) return skip(ports, event, channel, 'no-address', customer.id);
  if (!customer.optIn[channel]) return skip(ports, event, channel, 'opted-out', customer.id);
  if (channel === 'sms' && !(await smsCountryAllowed(context))) {
    return skip(ports, event, channel, 'country-not-allowed', customer.id);
  }
  if (channel === 'email' && customer.suppressed?.email?.address === customer.email) {
    return skip(ports, event, channel, 'suppressed', customer.id);
  }
  const until = channel === 'sms' ? quietUntil(context.settings, ports.clock.now()) : undefined;
  if (until && remindsTooLate(context, until))
    return giveUpLate(ports, event, channel, customer.id, 'quiet hours would hold it past the deadline it reminds of');
  if (until) return hold(context, until);
  return takeClaim(context, channel);
}

/** The claim itself (a conditional write); see claimChannel. */
async function takeClaim(context: SendContext, channel: Channel): Promise<Claim | ChannelResult> {
  const { ports, event, customer } = context;
  const now = ports.clock.now();
  const token = randomUUID();
  const result = await ports.store.claimDelivery(
    event.tenantId,
    {
      ...newDelivery(event, channel, customer.id, now),
      state: 'claimed',
      claimToken: token,
      claimedUntil: new Date(now.getTime() + ports.sending.claimLeaseSeconds * 1000).toISOString(),
    },
    now.toISOString(),
  );
  if (!result) return lostClaim(context, channel);
  const { claimed, replaced } = result;
  // A claim taken over from a dead attempt: that attempt may have reached the provider.
  const possibleDuplicate = claimed.possibleDuplicate === true || replaced?.state === 'claimed';
  return { channel, token, delivery: { ...claimed, ...(possibleDuplicate ? { possibleDuplicate } : {}) }, replaced };
}

/**
 * When the firm's quiet hours end, if `now` is inside them. A held retry goes out at the
 * window's end even on a day off: it was due on a business day.
 */
function quietUntil(settings: Settings, now: Date): string | undefined {
  const zoned = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(settings.timeZone);
  const { quietHours } = firmRules(settings);
  if (!inQuietHours(zoned, quietHours)) return undefined;
  return quietHoursEnd(zoned, quietHours).toInstant().toString({ smallestUnit: 'second' });
}

/**
 * A before-notice held to `until` would come at or after its deadline: a reminder then
 * reminds of nothing, so it is given up (`too-late`) instead of held. Planning moves such an
 * SMS before the window (business-days.ts); this is a retry or a late send that met it.
 */
function remindsTooLate({ notice, task, settings }: SendContext, until: string): boolean {
  if (notice.when !== 'before' || !task.deadline) return false;
  return Date.parse(until) >= deadlineEnds(task.deadline, settings.timeZone).epochMilliseconds;
}

/**
 * Holds an SMS until the end of quiet hours: the delivery is claimed and let go as
 * `retrying` with `heldUntil`, so a dead attempt before it is still flagged and the
 * reconciler knows when to hand it back. A hold already recorded is left as it is.
 */
async function hold(context: SendContext, until: string): Promise<ChannelResult> {
  const { ports, event } = context;
  const existing = await ports.store.getDelivery(event.tenantId, deliveryId(event.taskId, event.noticeId, event.occurrenceAt, 'sms'));
  if (existing?.state !== 'retrying' || existing.heldUntil !== until) {
    const claim = await takeClaim(context, 'sms');
    if ('outcome' in claim) return claim;
    await endClaim(context, claim, { state: 'retrying', code: 'quiet-hours', reason: `held by the firm's quiet hours until ${until}`, heldUntil: until });
  }
  return settleIfGone(ports, event, 'sms', HELD);
}

const HELD: ChannelResult = { outcome: 'held', detail: { code: 'quiet-hours' } };

/**
 * After a hold's write. No message comes back for a held SMS, so a completion (or change)
 * that raced the hold and saw its claim still live would leave it pending: the task is read
 * after the hold's write, and either this read sees the change, or the change's read of the
 * deliveries sees the hold.
 */
async function settleIfGone(ports: SendingPorts, event: DispatchEvent, channel: Channel, held: ChannelResult): Promise<ChannelResult> {
  const gone = goneReason(await ports.store.getTask(event.tenantId, event.taskId), event);
  return gone ? ((await settleExisting(ports, event, channel, gone)) ?? held) : held;
}

/** The customer still takes SMS, read consistently: a STOPP may have come since the first read. */
async function smsStillOn(reads: BatchReads, tenantId: string, customerId: string): Promise<boolean> {
  return (await reads.customerNow(tenantId, customerId))?.optIn.sms === true;
}

/**
 * Past the firm's maximum lateness. For an SMS, the hours it spent inside quiet hours do not
 * count: the wait was Frist's rule, not an outage.
 */
function tooLate(settings: Settings, occurrenceAt: string, channel: Channel, now: Date): boolean {
  const maxLatenessMs = (settings.maxLatenessHours ?? DEFAULT_MAX_LATENESS_HOURS) * 3_600_000;
  const elapsed = now.getTime() - Date.parse(occurrenceAt);
  if (elapsed <= maxLatenessMs || channel !== 'sms') return elapsed > maxLatenessMs;
  const quiet = quietMillisBetween(
    Temporal.Instant.from(occurrenceAt),
    Temporal.Instant.fromEpochMilliseconds(now.getTime()),
    settings.timeZone,
    firmRules(settings).quietHours,
  );
  return elapsed - quiet > maxLatenessMs;
}

/** A lost claim: see settleExisting. */
async function lostClaim({ ports, event }: SendContext, channel: Channel): Promise<ChannelResult> {
  return (await settleExisting(ports, event, channel)) ?? CLAIM_HELD;
}

/**
 * What an existing record means for this invocation, when it could not claim or skip:
 * - a live claim of another attempt: come back later, because that attempt may still die,
 *   and then nobody else would pick the delivery up;
 * - final: this invocation is a replay, done (an SMS sent but not yet filed is filed now, and
 *   the outcome noted in the task's warning mark again, in case its writer died before);
 * - retrying, or a claim whose attempt died, for an occurrence that is gone (`endAs`): it ends
 *   skipped, flagged a possible duplicate if the dead attempt may have reached the provider;
 *   without `endAs` it is another attempt's to take: come back later.
 * No record: undefined.
 */
async function settleExisting(ports: SendingPorts, event: DispatchEvent, channel: Channel, endAs?: SkipReason): Promise<ChannelResult | undefined> {
  const existing = await ports.store.getDelivery(event.tenantId, deliveryId(event.taskId, event.noticeId, event.occurrenceAt, channel));
  if (!existing) return undefined;
  const now = ports.clock.now().toISOString();
  if (existing.state === 'claimed' && existing.claimedUntil! >= now) return CLAIM_HELD;
  if (existing.state === 'sent' && existing.sms && !existing.document) {
    await fileSms(ports, event.tenantId, { ...existing, customerId: existing.customerId!, sms: existing.sms });
  }
  if (existing.state === 'sent' || existing.state === 'failed' || existing.state === 'skipped') {
    // The attempt that wrote it may have died before noting it in the task's warning mark.
    await ports.store.noteOutcome(event.tenantId, existing);
    return { outcome: 'duplicate' };
  }
  if (!endAs) return CLAIM_HELD;
  const skipped: Delivery = { ...existing, state: 'skipped', reason: endAs, claimedUntil: undefined, updatedAt: now };
  return (await ports.store.recordSkip(event.tenantId, skipped, now)) ? { outcome: 'skipped', detail: { reason: endAs } } : CLAIM_HELD;
}

/**
 * An event for an occurrence the stored plan does not have (a schedule left by a failed or
 * lost save, or by a change, or a task deleted). It writes nothing new; but a delivery of it
 * that is still pending (its send was under way when the change came, then failed) ends
 * skipped, so it does not stay pending for ever.
 */
async function endLeftovers(ports: SendingPorts, event: DispatchEvent, channels: Channel[], ignored: 'not-planned' | 'task-deleted'): Promise<DispatchReport> {
  const reason: SkipReason = ignored === 'task-deleted' ? 'task-deleted' : 'replanned';
  const settled = await eachSettled(channels, (channel) => settleExisting(ports, event, channel, reason));
  const touched = channels.flatMap((c, i) => (settled[i] ? [[c, settled[i]] as const] : []));
  return {
    ...reportOf(
      touched.map(([c]) => c),
      touched.map(([, r]) => r),
    ),
    ignored,
  };
}

const ALL_CHANNELS: Channel[] = ['email', 'sms'];

/** Another attempt holds the claim (or took it over): come back when it has finished or died. */
const CLAIM_HELD: ChannelResult = { outcome: 'retry', detail: { code: 'claim-held' } };

/** The task changed after the claim: the claim ends as a skip; nothing is sent. */
async function release(context: SendContext, claim: Claim, reason: SkipReason): Promise<ChannelResult> {
  await endClaim(context, claim, { state: 'skipped', reason, claimToken: undefined });
  return { outcome: 'skipped', detail: { reason } };
}

/** Why a claim is let go unsent: the delivery's code and reason while it waits for the next attempt. */
interface LetGo {
  code: string;
  reason: string;
}

const CUSTOMER_CHANGED: LetGo = { code: 'customer-changed', reason: "the task's customer changed during the send; sent again to the new one" };
const READ_FAILED: LetGo = { code: 'internal', reason: 'a read after the claim failed; nothing was sent' };

/** Lets a claim go unsent (retrying, claimable at once) and asks for the message back. */
async function letGo(context: SendContext, claim: Claim, { code, reason }: LetGo): Promise<ChannelResult> {
  await endClaim(context, claim, { state: 'retrying', reason, code });
  return { outcome: 'retry', detail: { code } };
}

/**
 * Too late to send (`why`: later than the firm's maximum lateness, unless said otherwise).
 * A delivery that was being retried (or whose attempt died) ends `failed` with what went
 * wrong last; one never tried ends `skipped too-late`.
 */
async function giveUpLate(
  ports: SendingPorts,
  event: DispatchEvent,
  channel: Channel,
  customerId: string,
  why = "later than the firm's maximum lateness",
): Promise<ChannelResult> {
  const existing = await ports.store.getDelivery(event.tenantId, deliveryId(event.taskId, event.noticeId, event.occurrenceAt, channel));
  const now = ports.clock.now().toISOString();
  // Held by the per-number cap hour after hour (send-delivery.ts): never sent, the cap kept it.
  if (existing?.state === 'retrying' && existing.code === 'per-number-hour') {
    const skipped: Delivery = { ...existing, state: 'skipped', reason: 'rate-limited', heldUntil: undefined, updatedAt: now };
    const written = await ports.store.updateDelivery(event.tenantId, skipped, existing.claimToken);
    return written ? { outcome: 'skipped', detail: { reason: 'rate-limited' } } : CLAIM_HELD;
  }
  if (existing && (existing.state === 'retrying' || (existing.state === 'claimed' && existing.claimedUntil! < now))) {
    const failed: Delivery = {
      ...existing,
      // A claim whose attempt died may have reached the provider first.
      ...(existing.state === 'claimed' ? { possibleDuplicate: true } : {}),
      state: 'failed',
      code: 'too-late',
      reason: `gave up after ${existing.attempts} attempts, ${why}${existing.reason ? ` (last: ${existing.reason})` : ''}`,
      claimedUntil: undefined,
      updatedAt: now,
    };
    const written = await ports.store.updateDelivery(event.tenantId, failed, existing.claimToken);
    return written ? { outcome: 'failed', detail: { code: 'too-late' } } : CLAIM_HELD;
  }
  return skip(ports, event, channel, 'too-late', customerId);
}

async function skip(ports: SendingPorts, event: DispatchEvent, channel: Channel, reason: SkipReason, customerId?: string): Promise<ChannelResult> {
  const now = ports.clock.now();
  const recorded = await ports.store.recordSkip(
    event.tenantId,
    { ...newDelivery(event, channel, customerId, now), state: 'skipped', reason },
    now.toISOString(),
  );
  if (recorded) return { outcome: 'skipped', detail: { reason } };
  return (await settleExisting(ports, event, channel)) ?? { outcome: 'duplicate' };
}

function newDelivery(event: DispatchEvent, channel: Channel, customerId: string | undefined, now: Date): Delivery {
  return {
    id: deliveryId(event.taskId, event.noticeId, event.occurrenceAt, channel),
    taskId: event.taskId,
    noticeId: event.noticeId,
    customerId,
    occurrenceAt: event.occurrenceAt,
    channel,
    state: 'claimed',
    attempts: 0,
    updatedAt: now.toISOString(),
  };
}
