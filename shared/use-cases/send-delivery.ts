import type { Delivery, DocumentRef, SmsRecord } from '../domain/delivery.ts';
import { smsReference } from '../domain/sms-reference.ts';
import { renderHtml, type MergeValues } from '../domain/merge-codes.ts';
import type { Channel, Customer, Notice, Settings, Task } from '../domain/model.ts';
import { limitBreach, renderNotice, type RenderedNotice } from '../domain/notice-limits.ts';
import { buildMime } from '../adapters/mime-message.ts';
import { DeliveryError } from '../errors.ts';
import type { DispatchEvent, SendBounds, SendingPorts } from '../ports.ts';
import { smsLimitsInForce } from '../domain/sms-limit-changes.ts';
import type { SmsCapRule } from '../domain/sms-limits.ts';
import type { ChannelResult } from './dispatch-notice.ts';
import { takeSmsAllowance } from './sms-allowance.ts';

export interface SendContext {
  ports: SendingPorts;
  event: DispatchEvent;
  task: Task;
  notice: Notice;
  customer: Customer;
  settings: Settings;
  values: MergeValues;
  /** When the invocation is stopped (wall-clock epoch ms: the function's timeout); its sends end before it. */
  deadline?: number;
}

/**
 * What an attempt needs after its provider call answered, within the invocation: marking the
 * delivery sent (tried three times, half a second apart at most: afterSend), filing an SMS's
 * record in S3 and writing it on the delivery, then the batch's events and answer.
 */
export const AFTER_SEND_MS = 5_000;

/** The bounds of a provider call: over by AFTER_SEND_MS before the invocation is stopped. */
function sendBounds({ deadline }: SendContext): SendBounds {
  return deadline === undefined ? {} : { endBy: deadline - AFTER_SEND_MS };
}

/** A delivery this attempt holds: its writes count only while `token` is the record's. */
export interface Claim {
  channel: Channel;
  token: string;
  delivery: Delivery;
  replaced?: Delivery;
}

/**
 * Sends one claimed channel: at most one provider call. What can go wrong, and what then:
 * - a permanent refusal, or a text over the limits once filled in: `failed`, never retried;
 * - an SMS over the per-number hourly cap (sms-allowance.ts): `retrying`, held until the next
 *   UTC hour (`heldUntil`, handed back by the reconciler), since the next hour has room;
 * - an SMS over a daily cap: `skipped rate-limited`, never sent;
 * - a transient failure: `retrying`, the invocation comes back later;
 * - no answer after the request went out (outcome unknown): `retrying` with
 *   `possibleDuplicate`, since the provider may have it; the next attempt sends again;
 * - a failure after the provider accepted (marking sent, filing): the claim is kept, and a
 *   later attempt files the copy; should even that mark fail for the whole lease, the next
 *   attempt takes the claim over and sends again, flagged `possibleDuplicate`.
 */
export async function sendClaimed(context: SendContext, claim: Claim, filed?: Promise<FiledEmail>): Promise<ChannelResult> {
  const { ports } = context;
  try {
    await (claim.channel === 'email' ? sendEmail(context, claim, await (filed ?? fileEmail(context, claim))) : sendSms(context, claim));
    return { outcome: 'sent' };
  } catch (error) {
    if (error instanceof RateLimitedError) {
      return error.rule === 'per-number-hour' ? waitForNextHour(context, claim) : rateLimited(context, claim, error.rule);
    }
    if (error instanceof AfterSendError) {
      ports.log.error('a sent notice could not be recorded; it stays claimed', { deliveryId: claim.delivery.id, error: describe(error.cause) });
      return { outcome: 'retry', detail: { code: 'record-failed' } };
    }
    const failure = error instanceof DeliveryError ? error : new DeliveryError(`internal error: ${describe(error)}`, true, { code: 'internal' });
    const unknown = failure.outcome === 'unknown';
    await endClaim(context, claim, {
      state: failure.transient ? 'retrying' : 'failed',
      reason: failure.message,
      code: failure.code,
      ...(unknown || claim.delivery.possibleDuplicate ? { possibleDuplicate: true } : {}),
    });
    return { outcome: failure.transient ? 'retry' : 'failed', detail: { code: failure.code, ...(unknown ? { unknown: true as const } : {}) } };
  }
}

/** Renders a channel's texts and refuses them when over the limits that a save applies. */
function renderWithinLimits({ notice, task, values, ports, settings }: SendContext, channel: Channel): RenderedNotice {
  const rendered = renderNotice(notice, task.title, channel, values, settings.smsOptOutLine);
  const breach = limitBreach(rendered, ports.limits.smsMaxSegments);
  if (breach) throw new DeliveryError(breach.message, false, { code: 'too-long' });
  return rendered;
}

/** An e-mail's exact bytes, filed in the archive and ready to send. */
export interface FiledEmail {
  from: string;
  raw: Buffer;
  document: DocumentRef;
  at: Date;
}

/**
 * E-mail, first half: render the message, build its exact bytes and file them. Filed before
 * the send, so every sent e-mail has its copy; a failure here leaves nothing sent. A copy
 * whose send never comes (a failure before SES accepted it, a claim released because the task
 * changed) stays unlisted: it is listed in the document center only once the delivery is
 * marked sent, and a retry of the delivery overwrites it.
 */
export async function fileEmail(context: SendContext, claim: Claim): Promise<FiledEmail> {
  const { ports, event, notice, customer, settings, values } = context;
  const rendered = renderWithinLimits(context, 'email');
  const from = settings.emailSender?.from ?? ports.sending.emailDefaultFrom;
  if (!from) throw new DeliveryError('the firm has no e-mail sender and the deployment no default', false, { code: 'no-sender' });
  const at = ports.clock.now();
  const raw = buildMime({
    from: { address: from, name: settings.emailSender?.displayName ?? settings.firm.name ?? '' },
    // Replies reach the firm: its own Reply-To, else its e-mail address, never the no-reply sender.
    replyTo: settings.emailSender?.replyTo ?? settings.firm.email,
    to: { address: customer.email!, name: customer.name },
    subject: rendered.subject!,
    text: rendered.text,
    html: htmlBody(notice.message, values),
    messageId: `<${claim.delivery.id}@frist>`,
    date: at,
  });
  const document: DocumentRef = {
    key: documentKey(event.tenantId, customer.id, claim.delivery.id, at, 'eml'),
    contentType: 'message/rfc822',
    size: raw.length,
  };
  await ports.archive.put(document.key, raw, document.contentType);
  return { from, raw, document, at };
}

/** E-mail, second half: send the filed bytes, then mark sent. */
async function sendEmail(context: SendContext, claim: Claim, { from, raw, document, at }: FiledEmail): Promise<void> {
  const { ports, event, customer } = context;
  // The tags come back in SES's delivery, bounce and complaint events (functions/ses-events).
  const tags = { tenantId: event.tenantId, customerId: customer.id, deliveryId: claim.delivery.id };
  const { messageId } = await ports.mailer.sendRaw({ from, to: customer.email!, raw, tags }, sendBounds(context));
  await afterSend(async () => {
    await markSent(ports, event.tenantId, claim, { sentAt: at.toISOString(), updatedAt: at.toISOString(), providerId: messageId, document });
  });
}

/**
 * SMS: note the reference, send, mark sent with what was sent, then file the record. The
 * reference item comes first, so a receipt can find its delivery however soon it arrives.
 * The record carries the provider's id, so it can only be written after the send; should
 * filing fail, the next attempt finds the sent delivery and files it from what the record kept.
 */
async function sendSms(context: SendContext, claim: Claim): Promise<void> {
  const { ports, event, customer, settings } = context;
  const { text, sms: measure } = renderWithinLimits(context, 'sms');
  const sender = settings.smsSenderActivated && settings.smsSender ? settings.smsSender : ports.sending.smsDefaultSender;
  const password = settings.smsAccount && settings.smsPassword ? await ports.secrets.get(settings.smsPassword) : undefined;
  if (!settings.smsAccount || password === undefined) {
    throw new DeliveryError('the firm has no SMS account with a password', false, { code: 'no-sms-account' });
  }
  const account = { username: settings.smsAccount.username, password };
  await countSms(context, claim);
  const reference = smsReference(claim.delivery.id);
  await ports.store.putSmsReference(event.tenantId, reference, claim.delivery.id);
  const { providerId } = await ports.sms.send({ account, from: sender, to: customer.mobile!, text, reference }, sendBounds(context));
  const now = ports.clock.now().toISOString();
  const sms: SmsRecord = { sender, recipient: customer.mobile!, text, encoding: measure!.encoding, segments: measure!.segments, providerId };
  await afterSend(async () => {
    const sent = await markSent(ports, event.tenantId, claim, { sentAt: now, updatedAt: now, providerId, sms });
    // Taken over meanwhile: the attempt that holds the record now files its own copy.
    if (sent) await fileSms(ports, event.tenantId, { ...sent, sms });
  });
}

/** Marks the claimed delivery sent; undefined when another attempt took the claim over meanwhile. */
async function markSent(ports: SendingPorts, tenantId: string, claim: Claim, fields: Partial<Delivery>): Promise<Delivery | undefined> {
  const { claimedUntil: _until, reason: _reason, code: _code, ...delivery } = claim.delivery;
  const sent: Delivery = { ...delivery, ...fields, state: 'sent' };
  // The provider has the message: the warning mark may say so while the record is written.
  if (await ports.store.updateDelivery(tenantId, sent, claim.token, { noteAlongside: true })) return sent;
  // This attempt outlived its lease and another took the claim over: that one's record
  // (flagged a possible duplicate) stands; this one writes nothing more.
  ports.log.warn('the claim was taken over during the send', { deliveryId: sent.id });
  return undefined;
}

/** Writes the claimed delivery's end without a send, while the claim is still this attempt's. */
export async function endClaim({ ports, event }: SendContext, claim: Claim, fields: Partial<Delivery>): Promise<void> {
  const { claimedUntil: _until, ...delivery } = claim.delivery;
  await ports.store.updateDelivery(event.tenantId, { ...delivery, ...fields, updatedAt: ports.clock.now().toISOString() }, claim.token);
}

/**
 * Takes the SMS's units of the caps (sms-allowance.ts), or refuses it, and writes on the
 * claimed delivery which counters it took a unit of, before the provider call. A delivery is
 * counted once, by the first attempt that got its units: its retries, in whatever hour or
 * day, take none and are never refused. A retry after an unknown outcome must not end
 * "skipped, never sent" when the first SMS may be on the phone; and every provider call of
 * a delivery after the first is one whose predecessor failed or was never answered, so the
 * caps still bound what many tasks or notices can send.
 */
async function countSms({ ports, event, customer, settings }: SendContext, claim: Claim): Promise<void> {
  if (claim.delivery.smsCounted?.length) return;
  const limits = smsLimitsInForce(settings, ports.clock.now(), ports.limits.smsCeiling);
  const allowance = await takeSmsAllowance(ports, event.tenantId, customer.mobile!, limits);
  if ('refusedBy' in allowance) throw new RateLimitedError(allowance.refusedBy);
  claim.delivery = { ...claim.delivery, smsCounted: allowance.counted };
  if (!(await ports.store.updateDelivery(event.tenantId, claim.delivery, claim.token))) {
    throw new DeliveryError('another attempt took the claim over before the send', true, { code: 'claim-held' });
  }
}

/** An SMS over a cap: the claim ends skipped, naming the cap in its code. */
async function rateLimited(context: SendContext, claim: Claim, rule: SmsCapRule): Promise<ChannelResult> {
  await endClaim(context, claim, { state: 'skipped', reason: 'rate-limited', code: rule, claimToken: undefined });
  return { outcome: 'skipped', detail: { reason: 'rate-limited', rule } };
}

/**
 * The number had its hourly SMS already: this one waits for the next UTC hour, held like an
 * SMS in quiet hours (`retrying`, `heldUntil`), and tries the caps again then. Quiet hours
 * gather a customer's night SMS at the window's end; none of them is lost to this cap, while
 * the number still gets no more than the cap in any hour. Past the firm's maximum lateness
 * it ends `skipped rate-limited` (dispatch-notice.ts, giveUpLate).
 */
async function waitForNextHour(context: SendContext, claim: Claim): Promise<ChannelResult> {
  const now = context.ports.clock.now().getTime();
  const until = new Date(now - (now % 3_600_000) + 3_600_000).toISOString().replace('.000Z', 'Z');
  await endClaim(context, claim, {
    state: 'retrying',
    code: 'per-number-hour',
    reason: `held by the per-number hourly SMS cap until ${until}`,
    heldUntil: until,
  });
  return { outcome: 'held', detail: { code: 'per-number-hour' } };
}

/** The SMS would go over a cap: nothing is sent. */
class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(readonly rule: SmsCapRule) {
    super(`over the SMS cap ${rule}`);
  }
}

/** A failure after the provider accepted the message: see sendClaimed(). */
class AfterSendError extends Error {
  override readonly name = 'AfterSendError';
}

/** The write after a send is retried briefly: a lost mark means a possible second send. */
async function afterSend(step: () => Promise<void>): Promise<void> {
  for (const pauseMs of [100, 400, 0]) {
    try {
      return await step();
    } catch (error) {
      if (!pauseMs) throw new AfterSendError('failed after the message was sent', { cause: error });
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

export async function fileSms(ports: SendingPorts, tenantId: string, delivery: Delivery & { sms: SmsRecord }): Promise<void> {
  const body = Buffer.from(JSON.stringify(delivery.sms, null, 2));
  const document: DocumentRef = {
    key: documentKey(tenantId, delivery.customerId!, delivery.id, new Date(delivery.sentAt!), 'json'),
    contentType: 'application/json',
    size: body.length,
  };
  await ports.archive.put(document.key, body, document.contentType);
  // Only while the record is still the sending attempt's (its claim token).
  await ports.store.updateDelivery(tenantId, { ...delivery, document }, delivery.claimToken);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}

/** The HTML alternative: the rendered message in a minimal document. */
function htmlBody(template: string, values: MergeValues): string {
  return `<!doctype html><html><body style="font-family:sans-serif">${renderHtml(template, values)}</body></html>`;
}

/** `tenants/<tenant>/customers/<customer>/<yyyy>/<mm>/<delivery id>.<ext>` */
function documentKey(tenantId: string, customerId: string, id: string, at: Date, ext: 'eml' | 'json'): string {
  const month = at.toISOString().slice(0, 7).replace('-', '/');
  return `tenants/${tenantId}/customers/${customerId}/${month}/${id}.${ext}`;
}
