import { deliveryId, type Delivery, type DocumentRef, type SkipReason, type SmsRecord } from '../domain/delivery.ts';
import { renderHtml, renderTemplate, type MergeValues } from '../domain/merge-codes.ts';
import { mergeValuesFor } from '../domain/merge-values.ts';
import type { Channel, Customer, Notice, Settings, Task } from '../domain/model.ts';
import { measureSms } from '../domain/sms-encoding.ts';
import { buildMime } from '../adapters/mime-message.ts';
import { DeliveryError } from '../errors.ts';
import type { DispatchEvent, SendingPorts } from '../ports.ts';
import { getSettings } from './settings.ts';

export type ChannelOutcome = 'sent' | 'failed' | 'skipped' | 'duplicate' | 'retry';

export interface DispatchReport {
  outcomes: Partial<Record<Channel | 'all', ChannelOutcome>>;
  reason?: SkipReason;
}

/**
 * Sends one notice occurrence, once, when the Scheduler fires it.
 * 1. Re-read the task: deleted, completed, or an occurrence no longer in the stored plan
 *    (stale: the deadline or the notice changed) sends nothing and records the skip.
 * 2. Per channel: no address, or opted out, is a recorded skip.
 * 3. Claim (conditional write), send, file the copy, mark sent. A replayed or concurrent
 *    invocation loses the claim and does nothing; see shared/domain/delivery.ts.
 * 4. A transient failure of any channel throws after all channels ran, so the Scheduler
 *    retries; the channels already sent are final and are not sent again.
 */
export async function dispatchNotice(ports: SendingPorts, event: DispatchEvent): Promise<DispatchReport> {
  const { tenantId } = event;
  const task = await ports.store.getTask(tenantId, event.taskId);
  const notice = task?.notices.find((n) => n.id === event.noticeId);
  const channels: (Channel | 'all')[] = notice?.channels ?? ['all'];
  const skipAll = async (reason: SkipReason): Promise<DispatchReport> => {
    const outcomes = await Promise.all(channels.map((channel) => skip(ports, event, channel, reason, task?.customerId)));
    return { outcomes: Object.fromEntries(channels.map((c, i) => [c, outcomes[i]])), reason };
  };
  if (!task) return skipAll('task-deleted');
  if (task.status === 'completed') return skipAll('task-completed');
  const planned = task.plan.occurrences.some(
    (o) => o.noticeId === event.noticeId && o.at === event.occurrenceAt && o.state === 'scheduled',
  );
  if (!notice || !planned) return skipAll('stale');
  const customer = await ports.store.getCustomer(tenantId, task.customerId);
  if (!customer) return skipAll('stale');

  const settings = await getSettings(ports, tenantId);
  const context: SendContext = { ports, event, task, notice, customer, settings, values: mergeValuesFor(task, customer, settings) };
  const results = await Promise.allSettled(notice.channels.map((channel) => deliver(context, channel)));
  const outcomes = Object.fromEntries(
    notice.channels.map((channel, i) => {
      const result = results[i]!;
      return [channel, result.status === 'fulfilled' ? result.value : 'retry'];
    }),
  );
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return { outcomes };
}

interface SendContext {
  ports: SendingPorts;
  event: DispatchEvent;
  task: Task;
  notice: Notice;
  customer: Customer;
  settings: Settings;
  values: MergeValues;
}

async function deliver(context: SendContext, channel: Channel): Promise<ChannelOutcome> {
  const { ports, event, customer } = context;
  if (!(channel === 'email' ? customer.email : customer.mobile)) return skip(ports, event, channel, 'no-address', customer.id);
  if (!customer.optIn[channel]) return skip(ports, event, channel, 'opted-out', customer.id);
  if (channel === 'email' && customer.suppressed?.email?.address === customer.email) {
    return skip(ports, event, channel, 'suppressed', customer.id);
  }

  const now = ports.clock.now();
  const claimed = await ports.store.claimDelivery(
    event.tenantId,
    {
      ...newDelivery(event, channel, customer.id, now),
      state: 'claimed',
      claimedUntil: new Date(now.getTime() + ports.sending.claimLeaseSeconds * 1000).toISOString(),
    },
    now.toISOString(),
  );
  if (!claimed) return finishFiling(context, channel);
  try {
    return channel === 'email' ? await sendEmail(context, claimed) : await sendSms(context, claimed);
  } catch (error) {
    // Once the provider has the message, the claim must not be let go: the record stays
    // claimed (or sent, unfiled) and a later attempt finishes the filing instead of sending again.
    if (error instanceof AfterSendError) throw error.cause;
    const permanent = error instanceof DeliveryError && !error.transient;
    await ports.store.updateDelivery(event.tenantId, {
      ...claimed,
      state: permanent ? 'failed' : 'retrying',
      reason: error instanceof DeliveryError ? error.message : 'internal error',
      claimedUntil: undefined,
      updatedAt: ports.clock.now().toISOString(),
    });
    if (permanent) return 'failed';
    throw error;
  }
}

/**
 * E-mail: file the exact bytes first, then send them, then mark sent. A failure before
 * SES accepted the message leaves a copy that a retry overwrites; it is listed in the
 * document center only once the delivery is marked sent.
 */
async function sendEmail({ ports, event, task, notice, customer, settings, values }: SendContext, delivery: Delivery): Promise<ChannelOutcome> {
  const from = settings.emailSender?.from ?? ports.sending.emailDefaultFrom;
  if (!from) throw new DeliveryError('the firm has no e-mail sender and the deployment no default', false);
  const now = ports.clock.now();
  const raw = await buildMime({
    from: { address: from, name: settings.emailSender?.displayName ?? settings.firm.name ?? '' },
    replyTo: settings.emailSender?.replyTo,
    to: { address: customer.email!, name: customer.name },
    subject: renderTemplate(notice.subject ?? task.title, values),
    text: renderTemplate(notice.message, values),
    html: htmlBody(notice.message, values),
    messageId: `<${delivery.id}@frist>`,
    date: now,
  });
  const document: DocumentRef = { key: documentKey(event.tenantId, customer.id, delivery.id, now, 'eml'), contentType: 'message/rfc822', size: raw.length };
  await ports.archive.put(document.key, raw, document.contentType);
  const { messageId } = await ports.mailer.sendRaw({
    from,
    to: customer.email!,
    raw,
    tags: { tenantId: event.tenantId, customerId: customer.id },
  });
  await afterSend(() =>
    ports.store.updateDelivery(event.tenantId, {
      ...delivery,
      state: 'sent',
      sentAt: now.toISOString(),
      updatedAt: now.toISOString(),
      providerId: messageId,
      document,
      claimedUntil: undefined,
    }),
  );
  return 'sent';
}

/**
 * SMS: send, mark sent with what was sent, then file the record. The record carries the
 * provider's id, so it can only be written after the send; should filing fail, the next
 * attempt finds the sent delivery and files it from what the record kept.
 */
async function sendSms({ ports, event, notice, customer, settings, values }: SendContext, delivery: Delivery): Promise<ChannelOutcome> {
  const text = renderTemplate(notice.message, values);
  const measure = measureSms(text);
  const sender = settings.smsSenderActivated && settings.smsSender ? settings.smsSender : ports.sending.smsDefaultSender;
  const password = settings.smsAccount && settings.smsPassword ? await ports.secrets.get(settings.smsPassword) : undefined;
  if (!settings.smsAccount || password === undefined) throw new DeliveryError('the firm has no SMS account with a password', false);
  const account = { username: settings.smsAccount.username, password };
  const { providerId } = await ports.sms.send({ account, from: sender, to: customer.mobile!, text, reference: delivery.id });
  const now = ports.clock.now();
  const sent: Delivery & { sms: SmsRecord } = {
    ...delivery,
    state: 'sent',
    sentAt: now.toISOString(),
    updatedAt: now.toISOString(),
    providerId,
    claimedUntil: undefined,
    sms: { sender, recipient: customer.mobile!, text, encoding: measure.encoding, segments: measure.segments, providerId },
  };
  await afterSend(async () => {
    await ports.store.updateDelivery(event.tenantId, sent);
    await fileSms(ports, event.tenantId, sent);
  });
  return 'sent';
}

/** A failure after the provider accepted the message: see deliver(). */
class AfterSendError extends Error {
  override readonly name = 'AfterSendError';
}

async function afterSend(step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    throw new AfterSendError('failed after the message was sent', { cause: error });
  }
}

async function fileSms(ports: SendingPorts, tenantId: string, delivery: Delivery & { sms: SmsRecord }): Promise<void> {
  const body = Buffer.from(JSON.stringify(delivery.sms, null, 2));
  const document: DocumentRef = {
    key: documentKey(tenantId, delivery.customerId!, delivery.id, new Date(delivery.sentAt!), 'json'),
    contentType: 'application/json',
    size: body.length,
  };
  await ports.archive.put(document.key, body, document.contentType);
  await ports.store.updateDelivery(tenantId, { ...delivery, document });
}

/** A lost claim: normally a duplicate; an SMS sent but not yet filed gets filed now. */
async function finishFiling({ ports, event, customer }: SendContext, channel: Channel): Promise<ChannelOutcome> {
  const existing = await ports.store.getDelivery(event.tenantId, deliveryId(event.taskId, event.noticeId, event.occurrenceAt, channel));
  if (existing?.state === 'sent' && existing.sms && !existing.document) {
    await fileSms(ports, event.tenantId, { ...existing, customerId: existing.customerId ?? customer.id, sms: existing.sms });
  }
  return 'duplicate';
}

async function skip(
  ports: SendingPorts,
  event: DispatchEvent,
  channel: Channel | 'all',
  reason: SkipReason,
  customerId?: string,
): Promise<ChannelOutcome> {
  const recorded = await ports.store.recordSkip(event.tenantId, {
    ...newDelivery(event, channel, customerId, ports.clock.now()),
    state: 'skipped',
    reason,
  });
  return recorded ? 'skipped' : 'duplicate';
}

function newDelivery(event: DispatchEvent, channel: Channel | 'all', customerId: string | undefined, now: Date): Delivery {
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

/** The HTML alternative: the rendered message in a minimal document. */
function htmlBody(template: string, values: MergeValues): string {
  return `<!doctype html><html><body style="font-family:sans-serif">${renderHtml(template, values)}</body></html>`;
}

/** `tenants/<tenant>/customers/<customer>/<yyyy>/<mm>/<delivery id>.<ext>` */
function documentKey(tenantId: string, customerId: string, id: string, at: Date, ext: 'eml' | 'json'): string {
  const month = at.toISOString().slice(0, 7).replace('-', '/');
  return `tenants/${tenantId}/customers/${customerId}/${month}/${id}.${ext}`;
}
