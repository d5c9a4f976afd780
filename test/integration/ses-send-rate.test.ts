import { SendEmailCommand, SESv2Client, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySesError } from '../../shared/adapters/provider-errors.ts';
import { FaultProxy } from '../../local/fault-proxy.ts';
import { sesInbox, startSes, type LocalSes } from '../../local/local-aws-services.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import { limitSesSendRate } from '../../local/ses-send-rate.ts';

// The SES stand-in's sending rate, through the real SES v2 client. A rate of 0 refuses every
// send, so no test depends on where a second of real time begins.
let ses: LocalSes;
let proxy: FaultProxy;
let client: SESv2Client;

beforeAll(async () => {
  ses = await startSes();
  proxy = new FaultProxy(ses.endpoint);
  client = new SESv2Client({ region: 'eu-north-1', endpoint: await proxy.start(), credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
});
afterAll(async () => {
  await proxy.stop();
  await ses.stop();
});

const email = () =>
  new SendEmailCommand({
    FromEmailAddress: 'varsel@frist.local',
    Destination: { ToAddresses: ['kunde@example.no'] },
    Content: { Simple: { Subject: { Data: 'Frist' }, Body: { Text: { Data: 'Hei' } } } },
  });

describe('the SES stand-in over its sending rate', () => {
  it('refuses a send as SES v2 does (429 TooManyRequestsException, "Maximum sending rate exceeded."), and delivers nothing of it', async () => {
    limitSesSendRate(proxy, 0);
    const error = await client.send(email()).then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error).toMatchObject({ message: 'Maximum sending rate exceeded.', $metadata: { httpStatusCode: 429 } });
    expect(classifySesError(error)).toMatchObject({ transient: true, outcome: 'not-sent', code: 'ses-throttled' });
    expect(await sesInbox(ses.endpoint)).toEqual([]);
    limitSesSendRate(proxy, undefined);
    await client.send(email());
    expect(await sesInbox(ses.endpoint)).toHaveLength(1);
  });
});
