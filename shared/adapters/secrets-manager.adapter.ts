import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DependencyUnavailableError } from '../errors.ts';
import type { SecretRef, SecretStore } from '../ports.ts';

/**
 * Tenant secrets (the SMS password) in AWS Secrets Manager, one secret per tenant and name
 * under the deployment's prefix (`frist/<stage>/tenants/<tenant>/<name>`), so IAM can give
 * exactly the functions that need them access to exactly that prefix.
 *
 * Every write makes a new version and returns its id; the settings item stores the id and
 * reads by it. A settings save that loses its conditional write therefore leaves only an
 * unreferenced version behind, never a password that changed under the stored settings.
 */
export class SecretsManagerStore implements SecretStore {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly prefix: string,
  ) {}

  async put(tenantId: string, name: string, value: string): Promise<SecretRef> {
    const secretId = this.secretId(tenantId, name);
    try {
      const result = await this.client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value })).catch(async (error: unknown) => {
        if (!(error instanceof ResourceNotFoundException)) throw error;
        return this.client.send(new CreateSecretCommand({ Name: secretId, SecretString: value, Description: 'Frist tenant secret' }));
      });
      return { name: secretId, versionId: result.VersionId! };
    } catch (error) {
      throw new DependencyUnavailableError('the secret store is unavailable; retry shortly', { cause: error });
    }
  }

  async get(ref: SecretRef): Promise<string | undefined> {
    try {
      const result = await this.client.send(new GetSecretValueCommand({ SecretId: ref.name, VersionId: ref.versionId }));
      return result.SecretString;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  /**
   * Deletes without a recovery window: a deleted webhook's secret must stop existing, and the
   * window would keep the name taken for 7-30 days. A forced delete of a secret that is gone
   * already succeeds (no ResourceNotFoundException), so a retry is safe.
   */
  async remove(tenantId: string, name: string): Promise<void> {
    try {
      await this.client.send(new DeleteSecretCommand({ SecretId: this.secretId(tenantId, name), ForceDeleteWithoutRecovery: true }));
    } catch (error) {
      throw new DependencyUnavailableError('the secret store is unavailable; retry shortly', { cause: error });
    }
  }

  private secretId(tenantId: string, name: string): string {
    return `${this.prefix}/tenants/${tenantId}/${name}`;
  }
}
