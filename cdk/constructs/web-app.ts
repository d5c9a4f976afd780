import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  Function as CloudFrontFunction,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** What the app reads from /config.json at start (the contract with web/). */
export interface WebRuntimeConfig {
  apiUrl: string;
  oidc: { authority: string; clientId: string; scope: string; logoutUrl?: string };
}

export interface WebAppProps {
  /** The built app: index.html and Vite's content-hashed files under assets/. */
  dist: string;
  retainData: boolean;
  logRetentionDays: number;
  /** Where the bucket's and the distribution's access logs go. */
  accessLogs: IBucket;
  /** Origins the app calls with fetch: the API and the sign-in endpoints (connect-src). */
  connectOrigins: string[];
  /** Origins the app sends the browser to with a form (form-action): the sign-in pages. */
  signInOrigins: string[];
}

/** Vite's folder of content-hashed files: a name changes whenever the content does. */
const HASHED = 'assets';

/**
 * The web app for firm staff: its files in a private bucket that only this distribution
 * reads (origin access control), served over HTTPS with security headers and the
 * single-page-app fallback (spa-fallback.cloudfront.js). index.html and config.json are
 * revalidated on every load; the hashed files are cached for a year.
 */
export class WebApp extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** https://<distribution domain>, without a trailing slash. */
  readonly url: string;
  /** The role of CDK's deployment function, which copies the files into the bucket. */
  readonly deploymentRole: Role;
  private readonly deploymentOptions: { memoryLimit: number; logGroup: LogGroup; role: Role };

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    const removalPolicy = props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'web/',
      removalPolicy,
    });
    const spaFallback = new CloudFrontFunction(this, 'SpaFallback', {
      comment: 'Serves /index.html for the paths of the app (no file extension)',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromFile({ filePath: join(import.meta.dirname, 'spa-fallback.cloudfront.js') }),
    });
    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Frist web app: HSTS, CSP and the other security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(props), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()', override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Frist web app',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Europe and North America: the firms are Norwegian.
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: props.accessLogs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: spaFallback, eventType: FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    // The deployment function's own role, writing only to its own log group, instead of the
    // role CDK makes with the managed AWSLambdaBasicExecutionRole; the deployments add their
    // grants (read the staged files, write this bucket, invalidate) to it.
    const logGroup = new LogGroup(this, 'DeploymentLogs', { retention: props.logRetentionDays, removalPolicy });
    this.deploymentRole = new Role(this, 'DeploymentRole', {
      description: 'Copies the web app into its bucket during cdk deploy',
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    this.deploymentRole.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    this.deploymentOptions = { memoryLimit: 512, logGroup, role: this.deploymentRole };
    this.deployFiles(props.dist);
  }

  /** CDK's one deployment function for the stack (a singleton beside this construct). */
  deploymentFunction(): IConstruct {
    const found = Stack.of(this).node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (found.length !== 1) throw new Error(`expected one BucketDeployment function in the stack, found ${found.length}`);
    return found[0]!;
  }

  /**
   * Writes /config.json: a deployment of its own, so the app's files do not wait for the
   * API and the user pool, and none of them depends on another through the bucket.
   */
  writeRuntimeConfig(config: WebRuntimeConfig): void {
    new BucketDeployment(this, 'RuntimeConfig', {
      ...this.deploymentOptions,
      sources: [Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      cacheControl: [CacheControl.noCache()],
      prune: false,
      distribution: this.distribution,
      distributionPaths: ['/config.json'],
    });
  }

  private deployFiles(dist: string): void {
    // Hashed files first, and never pruned: a tab still running the previous index.html
    // can load its lazy chunks after a deployment.
    const hashed = existsSync(join(dist, HASHED))
      ? new BucketDeployment(this, 'HashedFiles', {
          ...this.deploymentOptions,
          sources: [Source.asset(join(dist, HASHED))],
          destinationBucket: this.bucket,
          destinationKeyPrefix: `${HASHED}/`,
          cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
          prune: false,
        })
      : undefined;
    // Then index.html and the other unhashed files, which point at the hashed ones; the sync
    // leaves the hashed files and config.json alone.
    const files = new BucketDeployment(this, 'UnhashedFiles', {
      ...this.deploymentOptions,
      sources: [Source.asset(dist, { exclude: [`${HASHED}/**`, 'config.json'] })],
      destinationBucket: this.bucket,
      exclude: [`${HASHED}/*`, 'config.json'],
      cacheControl: [CacheControl.noCache()],
      prune: true,
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });
    if (hashed) files.node.addDependency(hashed);
  }
}

/**
 * The Content-Security-Policy of the app (docs/decisions.md says why each source is there).
 * Scripts only from the app's own files; styles also inline, because Mantine writes its CSS
 * variables and responsive props into <style> elements and a static site has no per-response
 * nonce; fetch only to the app, the API and the sign-in endpoints; frames only from blob: URLs
 * (the sandboxed e-mail copy); nothing may frame the app.
 */
export function contentSecurityPolicy(sources: { connectOrigins: string[]; signInOrigins: string[] }): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${sources.connectOrigins.join(' ')}`,
    'frame-src blob:',
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self' ${sources.signInOrigins.join(' ')}`,
  ].join('; ');
}

/** The origins of every API Gateway API in the stack's region (why not the API's own: docs/decisions.md). */
export function apiGatewayOrigins(scope: Construct): string {
  const stack = Stack.of(scope);
  return `https://*.execute-api.${stack.region}.${stack.urlSuffix}`;
}
