import { InvalidRequestException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretsManagerStore } from '../../shared/adapters/secrets-manager.adapter.ts';
import { DependencyUnavailableError } from '../../shared/errors.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import { SecretsManagerEmulator } from '../../local/secrets-manager-emulator.ts';

// The Secrets Manager stand-in, spoken to by the real SDK client through Frist's adapter. The
// background deletion is held for a minute, so only completeDeletions() ends it here.
const emulator = new SecretsManagerEmulator({ deletionDelayMs: 60_000 });
let store: SecretsManagerStore;

beforeAll(async () => {
  const endpoint = await emulator.start();
  store = new SecretsManagerStore(new SecretsManagerClient({ region: 'eu-north-1', endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 }), 'frist/test');
});
afterAll(() => emulator.stop());

describe('the Secrets Manager stand-in', () => {
  it('keeps a force-deleted secret scheduled for deletion until its background deletion ran, refusing every call on its name meanwhile', async () => {
    const ref = await store.put('firm', 'webhook-a', 'whsec_1');
    await store.remove('firm', 'webhook-a');
    // Scheduled for deletion: InvalidRequestException, not the ResourceNotFoundException of a secret that is gone.
    await expect(store.get(ref)).rejects.toBeInstanceOf(InvalidRequestException);
    const put = await store.put('firm', 'webhook-a', 'whsec_2').then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(put).toBeInstanceOf(DependencyUnavailableError);
    expect(put?.cause).toBeInstanceOf(InvalidRequestException);
    // A second forced delete succeeds, as a retry must.
    await store.remove('firm', 'webhook-a');

    emulator.completeDeletions();
    expect(await store.get(ref)).toBeUndefined();
    const again = await store.put('firm', 'webhook-a', 'whsec_3');
    expect(await store.get(again)).toBe('whsec_3');
  });

  it('deletes a secret that does not exist without an error, and leaves nothing scheduled', async () => {
    await store.remove('firm', 'never-made');
    const ref = await store.put('firm', 'never-made', 'whsec_4');
    expect(await store.get(ref)).toBe('whsec_4');
  });
});
