import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FaultQueue } from './fault-queue.ts';
import { close, listen, LOOPBACK, readJsonBody } from './listen.ts';
import type { SqsQueue } from './sqs-queue.ts';

/**
 * A stand-in for the Amazon SQS API in front of the in-process queues (sqs-queue.ts), so the
 * unchanged @aws-sdk/client-sqs sends to them. It speaks the AWS JSON 1.0 protocol as SQS
 * does (Amazon SQS Developer Guide: "Interpreting Amazon SQS JSON API responses"; API
 * Reference: "SendMessage", "SendMessageBatch"):
 * - `POST /` with `X-Amz-Target: AmazonSQS.<Action>` and a JSON body;
 * - an answer in `application/x-amz-json-1.0`: for SendMessage `{ MessageId, MD5OfMessageBody }`,
 *   the MD5 the SDK checks against the body it sent; for SendMessageBatch (1 to 10 entries of
 *   distinct ids of 1 to 80 [A-Za-z0-9_-], 1 MiB in all) `{ Successful: [{ Id, MessageId, MD5OfMessageBody }], Failed:
 *   [{ Id, SenderFault, Code, Message }] }`, an entry SQS refuses failing alone;
 * - errors with their status, the header `x-amzn-query-error: <query error code>;Sender` (or
 *   `;Receiver` for a fault of the service) and the body `{"__type": "com.amazonaws.sqs#<Name>",
 *   "message": ...}`, from which the SDK builds its modelled exceptions (QueueDoesNotExist...).
 * A body with a character SQS does not take (NOT_SQS_TEXT) is refused, not stored.
 * Only the sends are served: Frist's functions only send; receiving and deleting is Lambda's
 * event source mapping, which sqs-event-source.ts plays in process. `failNext` and
 * `answerAfter` make the next requests fail, or answer late, the ways SQS can;
 * `failEntriesNext` fails the next batch entries alone, as a fault of the service
 * (`SenderFault: false`: worth sending again) in an answered SendMessageBatch.
 */
const ERRORS = {
  QueueDoesNotExist: { status: 400, queryCode: 'AWS.SimpleQueueService.NonExistentQueue', fault: 'Sender' },
  UnsupportedOperation: { status: 400, queryCode: 'AWS.SimpleQueueService.UnsupportedOperation', fault: 'Sender' },
  RequestThrottled: { status: 403, queryCode: 'RequestThrottled', fault: 'Sender' },
  MissingParameter: { status: 400, queryCode: 'MissingParameter', fault: 'Sender' },
  InvalidParameterValue: { status: 400, queryCode: 'InvalidParameterValue', fault: 'Sender' },
  EmptyBatchRequest: { status: 400, queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest', fault: 'Sender' },
  TooManyEntriesInBatchRequest: { status: 400, queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', fault: 'Sender' },
  BatchEntryIdsNotDistinct: { status: 400, queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', fault: 'Sender' },
  BatchRequestTooLong: { status: 400, queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong', fault: 'Sender' },
  InvalidBatchEntryId: { status: 400, queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId', fault: 'Sender' },
  InvalidMessageContents: { status: 400, queryCode: 'InvalidMessageContents', fault: 'Sender' },
  ServiceUnavailable: { status: 503, queryCode: 'ServiceUnavailable', fault: 'Receiver' },
} as const;

export type SqsErrorName = keyof typeof ERRORS;

/** A queue's default MaximumMessageSize (256 KiB), which Frist's queues keep. */
const MAX_MESSAGE_BYTES = 262_144;
/** SendMessageBatch: at most 10 entries, and 1 MiB of message bodies in all. */
const MAX_BATCH_ENTRIES = 10;
const MAX_BATCH_BYTES = 1_048_576;
/** SendMessage's DelaySeconds: 0 to 15 minutes. */
const MAX_DELAY_SECONDS = 900;
/**
 * A character SQS refuses in a body (API Reference, "SendMessage": only #x9, #xA, #xD, #x20 to
 * #xD7FF, #xE000 to #xFFFD and #x10000 to #x10FFFF; others are answered InvalidMessageContents).
 * JSON.stringify escapes control characters and lone surrogates, but not U+FFFE or U+FFFF.
 */
const NOT_SQS_TEXT = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** A SendMessageBatch entry's Id: 1 to 80 letters, digits, hyphens and underscores. */
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

class SqsError extends Error {
  constructor(
    readonly errorName: SqsErrorName,
    message: string,
  ) {
    super(message);
  }
}

export class SqsEmulator {
  /** Requests received since start, failed ones included: a test can see the SDK's retries. */
  requests = 0;
  private readonly queues: Map<string, SqsQueue>;
  private readonly faults = new FaultQueue<SqsErrorName>();
  private readonly delays = new FaultQueue<number>();
  private readonly entryFaults = new FaultQueue<string>();
  private server?: Server;

  constructor(queues: SqsQueue[]) {
    this.queues = new Map(queues.map((queue) => [queue.options.name, queue]));
  }

  /** The next `times` requests are refused with the error SQS sends for `name`; nothing is queued. */
  failNext(name: SqsErrorName, times = 1): void {
    this.faults.add(name, times);
  }

  /** The next `times` entries of SendMessageBatch calls fail alone with `code`, SQS's fault; nothing of theirs is queued. */
  failEntriesNext(code: string, times = 1): void {
    this.entryFaults.add(code, times);
  }

  /**
   * The next `times` requests are carried out at once (a message sent is in its queue) and
   * answered only after `ms`: SQS slower than the client's timeout, which has the message
   * although the client never hears so.
   */
  answerAfter(ms: number, times = 1): void {
    this.delays.add(ms, times);
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        if (error instanceof SqsError) this.fail(response, error.errorName, error.message);
        else this.fail(response, 'ServiceUnavailable', (error as Error).message);
      });
    });
    return `http://${LOOPBACK}:${await listen(this.server, port)}`;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.requests += 1;
    const body = await readJsonBody(request);
    const fault = this.faults.take();
    if (fault) throw new SqsError(fault, `injected ${fault}`);
    const action = String(request.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
    const serves = { SendMessage: (b: Record<string, unknown>) => this.sendMessage(b), SendMessageBatch: (b: Record<string, unknown>) => this.sendBatch(b) };
    if (request.method !== 'POST' || !(action in serves)) throw new SqsError('UnsupportedOperation', `${action || 'this request'} is not supported here`);
    const answer = serves[action as keyof typeof serves](body);
    const delay = this.delays.take();
    if (delay) setTimeout(() => this.reply(response, answer), delay).unref();
    else this.reply(response, answer);
  }

  /**
   * SendMessage as SQS carries it out, checks included; an SqsError when SQS would refuse it.
   * The Scheduler's SQS targets send through here too (local-queues.ts), so what SQS would
   * refuse them fails their invocation as on AWS.
   */
  sendMessage(body: Record<string, unknown>): { MessageId: string; MD5OfMessageBody: string } {
    const { QueueUrl: url, MessageBody: text, DelaySeconds: delay = 0, MessageGroupId: group } = body;
    if (typeof url !== 'string' || !url) throw new SqsError('MissingParameter', 'The request must contain the parameter QueueUrl.');
    if (typeof text !== 'string' || !text) throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    // The queue is named by the last segment of its URL, whichever host the URL names.
    const queue = this.queues.get(url.split('/').pop() ?? '');
    if (!queue) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    if (NOT_SQS_TEXT.test(text)) throw new SqsError('InvalidMessageContents', 'The message contains characters outside the allowed set.');
    if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES) {
      throw new SqsError('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`);
    }
    if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_SECONDS) {
      throw new SqsError(
        'InvalidParameterValue',
        `Value ${String(delay)} for parameter DelaySeconds is invalid. Reason: must be between 0 and ${MAX_DELAY_SECONDS}.`,
      );
    }
    if (group !== undefined && (typeof group !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(group))) {
      throw new SqsError(
        'InvalidParameterValue',
        `Value ${JSON.stringify(group)} for parameter MessageGroupId is invalid. Reason: must be 1 to 128 printable characters.`,
      );
    }
    const messageId = queue.send(text, delay, group);
    return { MessageId: messageId, MD5OfMessageBody: createHash('md5').update(text, 'utf8').digest('hex') };
  }

  /** Each entry as SendMessage would take it, to the batch's queue; an entry refused fails alone. */
  private sendBatch(body: Record<string, unknown>): { Successful: unknown[]; Failed: unknown[] } {
    const entries = Array.isArray(body.Entries) ? (body.Entries as Record<string, unknown>[]) : [];
    if (!entries.length) throw new SqsError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
    if (entries.length > MAX_BATCH_ENTRIES)
      throw new SqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}.`);
    const badId = entries.find((e) => typeof e.Id !== 'string' || !BATCH_ENTRY_ID.test(e.Id));
    if (badId)
      throw new SqsError(
        'InvalidBatchEntryId',
        `A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.`,
      );
    if (new Set(entries.map((e) => e.Id)).size < entries.length) throw new SqsError('BatchEntryIdsNotDistinct', 'Id must be distinct among batch entries.');
    const bytes = entries.reduce((sum, e) => sum + (typeof e.MessageBody === 'string' ? Buffer.byteLength(e.MessageBody) : 0), 0);
    if (bytes > MAX_BATCH_BYTES) throw new SqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes.`);
    const answers = entries.map((entry) => {
      const fault = this.entryFaults.take();
      if (fault) return { ok: false, Id: entry.Id, SenderFault: false, Code: fault, Message: `injected ${fault}` };
      try {
        return {
          ok: true,
          Id: entry.Id,
          ...this.sendMessage({
            QueueUrl: body.QueueUrl,
            MessageBody: entry.MessageBody,
            DelaySeconds: entry.DelaySeconds,
            MessageGroupId: entry.MessageGroupId,
          }),
        };
      } catch (error) {
        if (!(error instanceof SqsError) || error.errorName === 'QueueDoesNotExist') throw error;
        return { ok: false, Id: entry.Id, SenderFault: true, Code: error.errorName, Message: error.message };
      }
    });
    return {
      Successful: answers.filter((a) => a.ok).map(({ ok: _ok, ...a }) => a),
      Failed: answers.filter((a) => !a.ok).map(({ ok: _ok, ...a }) => a),
    };
  }

  private reply(response: ServerResponse, body: unknown): void {
    if (response.destroyed) return; // the client gave up
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() });
    response.end(JSON.stringify(body));
  }

  private fail(response: ServerResponse, name: SqsErrorName, message: string): void {
    const { status, queryCode, fault } = ERRORS[name];
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID(),
      'x-amzn-query-error': `${queryCode};${fault}`,
    });
    response.end(JSON.stringify({ __type: `com.amazonaws.sqs#${name}`, message }));
  }
}
