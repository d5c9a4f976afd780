import * as z from 'zod';

/**
 * The deployment's configuration, read from the environment once, at cold start. A missing
 * or malformed variable stops the process with a message naming it, instead of failing
 * later on the first request that needs it. Nothing else reads `process.env`.
 */
export const ConfigSchema = z.object({
  TABLE_NAME: z.string().min(1),
  /** Set locally (dynalite); unset on AWS, where the SDK finds DynamoDB itself. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).default('eu-north-1'),
  /** The JWT claim that names the tenant. */
  TENANT_CLAIM: z.string().min(1).default('tenant_id'),
  /** Base64 of 32 random bytes: seals SMS passwords before they are stored. */
  SECRETS_KEY: z.base64().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64'),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(1_000_000).default(65_536),
  SMS_MAX_SEGMENTS: z.coerce.number().int().min(1).max(10).default(3),
  /** The sender SMS carry until a tenant's own sender is activated. */
  SMS_DEFAULT_SENDER: z.string().min(1).max(11).default('Frist'),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
});

export type Config = z.infer<typeof ConfigSchema>;

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}

let cached: Config | undefined;

/** The configuration of this process, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
