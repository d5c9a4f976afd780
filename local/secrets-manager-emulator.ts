import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { close, listen, LOOPBACK, readJsonBody } from './listen.ts';

/**
 * A stand-in for AWS Secrets Manager: the JSON 1.1 subset Frist uses (CreateSecret,
 * PutSecretValue, GetSecretValue, DeleteSecret forced), with errors as the SDK parses them (`__type`), so the
 * unchanged @aws-sdk/client-secrets-manager runs against it. Secrets live in memory, and
 * with `file` (npm start --persist) also in that file (mode 600), so a restart keeps the
 * versions the stored settings name.
 *
 * A forced delete is not immediate on AWS: "Secrets Manager performs the actual deletion with an
 * asynchronous background process, so there might be a short delay" (API Reference,
 * DeleteSecret, ForceDeleteWithoutRecovery). Meanwhile the secret is scheduled for deletion, and
 * every call on its name (GetSecretValue, PutSecretValue, CreateSecret) is refused with
 * InvalidRequestException, not ResourceNotFoundException. Here that lasts `deletionDelayMs` of
 * real time (1 s unless told; AWS names no figure), or until a test calls completeDeletions().
 */
interface Version {
  id: string;
  value: string;
  created: number;
}

export class SecretsManagerEmulator {
  readonly secrets: Map<string, Version[]>;
  /** Names force-deleted whose background deletion has not run yet, with its timer. */
  private readonly deleting = new Map<string, NodeJS.Timeout>();
  private server?: Server;

  constructor(private readonly options: { region?: string; file?: string; deletionDelayMs?: number } = {}) {
    this.secrets = new Map(options.file && existsSync(options.file) ? (JSON.parse(readFileSync(options.file, 'utf8')) as [string, Version[]][]) : []);
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => this.fail(response, 500, 'InternalServiceError', (error as Error).message));
    });
    return `http://${LOOPBACK}:${await listen(this.server, port)}`;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }

  /** Runs the background deletions now, as AWS does after its short delay. */
  completeDeletions(): void {
    for (const [name, timer] of this.deleting) {
      clearTimeout(timer);
      this.deleting.delete(name);
      this.secrets.delete(name);
    }
    this.save();
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = (await readJsonBody(request)) as Record<string, string>;
    const action = String(request.headers['x-amz-target'] ?? '').replace('secretsmanager.', '');
    const name = action === 'CreateSecret' ? body.Name : body.SecretId;
    if (name && this.deleting.has(name) && action !== 'DeleteSecret') {
      const message =
        action === 'CreateSecret'
          ? "You can't create this secret because a secret with this name is already scheduled for deletion."
          : "You can't perform this operation on the secret because it was marked for deletion.";
      return this.fail(response, 400, 'InvalidRequestException', message);
    }
    switch (action) {
      case 'CreateSecret': {
        if (!body.Name || body.SecretString === undefined) return this.fail(response, 400, 'InvalidParameterException', 'Name and SecretString are required');
        if (this.secrets.has(body.Name)) return this.fail(response, 400, 'ResourceExistsException', `The secret ${body.Name} already exists.`);
        this.secrets.set(body.Name, []);
        return this.reply(response, this.addVersion(body.Name, body.SecretString));
      }
      case 'PutSecretValue': {
        if (!this.secrets.has(body.SecretId ?? '')) return this.notFound(response);
        return this.reply(response, this.addVersion(body.SecretId!, body.SecretString ?? ''));
      }
      case 'GetSecretValue': {
        const versions = this.secrets.get(body.SecretId ?? '');
        const version = body.VersionId ? versions?.find((v) => v.id === body.VersionId) : versions?.at(-1);
        if (!version) return this.notFound(response);
        return this.reply(response, {
          ARN: this.arn(body.SecretId!),
          Name: body.SecretId,
          VersionId: version.id,
          SecretString: version.value,
          VersionStages: version === versions!.at(-1) ? ['AWSCURRENT'] : [],
          CreatedDate: version.created,
        });
      }
      case 'DeleteSecret': {
        // Only the forced delete Frist uses; like AWS, it succeeds for a secret that is gone.
        if ((body as Record<string, unknown>).ForceDeleteWithoutRecovery !== true)
          return this.fail(response, 400, 'InvalidParameterException', 'only ForceDeleteWithoutRecovery');
        this.scheduleDeletion(body.SecretId ?? '');
        return this.reply(response, { ARN: this.arn(body.SecretId!), Name: body.SecretId, DeletionDate: Math.floor(Date.now() / 1000) });
      }
      default:
        return this.fail(response, 400, 'InvalidRequestException', `unsupported action ${action}`);
    }
  }

  /** A secret that exists is deleted in the background; one that does not stays so. */
  private scheduleDeletion(name: string): void {
    if (!this.secrets.has(name) || this.deleting.has(name)) return;
    const timer = setTimeout(() => {
      this.deleting.delete(name);
      this.secrets.delete(name);
      this.save();
    }, this.options.deletionDelayMs ?? 1000);
    timer.unref();
    this.deleting.set(name, timer);
    this.save();
  }

  private addVersion(name: string, value: string) {
    const version = { id: randomUUID(), value, created: Math.floor(Date.now() / 1000) };
    this.secrets.get(name)!.push(version);
    this.save();
    return { ARN: this.arn(name), Name: name, VersionId: version.id, VersionStages: ['AWSCURRENT'] };
  }

  private save(): void {
    // A secret being deleted is gone for good by the time a restart reads the file.
    const kept = [...this.secrets].filter(([name]) => !this.deleting.has(name));
    if (this.options.file) writeFileSync(this.options.file, JSON.stringify(kept), { mode: 0o600 });
  }

  private arn(name: string): string {
    return `arn:aws:secretsmanager:${this.options.region ?? 'eu-north-1'}:000000000000:secret:${name}`;
  }

  private notFound(response: ServerResponse): void {
    this.fail(response, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  }

  private reply(response: ServerResponse, body: unknown): void {
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify(body));
  }

  private fail(response: ServerResponse, status: number, type: string, message: string): void {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
    response.end(JSON.stringify({ __type: type, message }));
  }
}
