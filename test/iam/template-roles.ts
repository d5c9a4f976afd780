import type { Statement } from './iam-policy.ts';

/** The account and region the template's ARNs are resolved in; the check builds calls' ARNs in the same. */
export const ACCOUNT = '123456789012';
export const REGION = 'eu-north-1';

/** A synthesized template, as test/cdk/synth.ts gives it. */
export type Template = Record<string, any>;
type CfnResource = { Type: string; Properties?: Record<string, any> };
const resourcesOf = (template: Template) => template.Resources as Record<string, CfnResource>;

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
};

/** The property that names a resource of each type, when the template names it itself. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Scheduler::ScheduleGroup': 'Name',
  'AWS::SES::ConfigurationSet': 'Name',
};

/** `Fn::GetAtt [id, Arn]` of each type, from the resource's name. */
const ARN_OF_TYPE: Record<string, (name: string) => string> = {
  'AWS::DynamoDB::Table': (name) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`,
  'AWS::S3::Bucket': (name) => `arn:aws:s3:::${name}`,
  'AWS::SQS::Queue': (name) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
  'AWS::IAM::Role': (name) => `arn:aws:iam::${ACCOUNT}:role/${name}`,
  'AWS::Lambda::Function': (name) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
  'AWS::Logs::LogGroup': (name) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`,
  'AWS::SNS::Topic': (name) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`,
};

/**
 * The name of a resource: the one the template gives it, else its logical id, which stands
 * for the name CloudFormation generates on AWS (the check maps local names onto the same).
 */
export function nameOf(template: Template, logicalId: string): string {
  const resource = resourcesOf(template)[logicalId];
  if (!resource) throw new Error(`the template has no resource ${logicalId}`);
  const property = NAME_PROPERTY[resource.Type];
  const given = property ? resource.Properties?.[property] : undefined;
  return typeof given === 'string' ? given : logicalId;
}

export function arnOf(template: Template, logicalId: string): string {
  const type = resourcesOf(template)[logicalId]?.Type ?? '(missing)';
  const arn = ARN_OF_TYPE[type];
  if (!arn) throw new Error(`the roles check cannot resolve the ARN of ${logicalId} (${type}): add its type to ARN_OF_TYPE`);
  return arn(nameOf(template, logicalId));
}

/** A CloudFormation value (Ref, Fn::GetAtt Arn, Fn::Join, or a string) as the string it is on AWS. */
export function resolve(template: Template, value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (typeof v?.Ref === 'string') return PSEUDO[v.Ref] ?? nameOf(template, v.Ref);
  if (Array.isArray(v?.['Fn::GetAtt']) && v['Fn::GetAtt'][1] === 'Arn') return arnOf(template, v['Fn::GetAtt'][0]);
  if (Array.isArray(v?.['Fn::Join'])) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolve(template, part)).join(separator);
  }
  throw new Error(`the roles check cannot resolve ${JSON.stringify(value)}: teach test/iam/template-roles.ts`);
}

/** The logical id of the one resource whose id is `prefix` and CDK's eight-digit hash. */
export function logicalIdOf(template: Template, prefix: string, type?: string): string {
  const pattern = new RegExp(`^${prefix}[0-9A-F]{8}$`);
  const ids = Object.entries(resourcesOf(template))
    .filter(([id, r]) => pattern.test(id) && (!type || r.Type === type))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one resource ${prefix}<hash>${type ? ` of ${type}` : ''}, found ${ids.length}`);
  return ids[0]!;
}

/**
 * The statements of the role of a FristFunction construct (`Api` -> ApiFunction<hash>):
 * its inline policies and the policies attached to it, every Resource resolved.
 */
export function roleStatements(template: Template, construct: string): Statement[] {
  const fn = resourcesOf(template)[logicalIdOf(template, `${construct}Function`, 'AWS::Lambda::Function')]!;
  const roleId = (fn.Properties?.Role as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
  const role = roleId ? resourcesOf(template)[roleId] : undefined;
  if (!roleId || !role) throw new Error(`${construct}: the function's Role is not a role of the template`);
  // Managed policies are not read here, so a role with any would be judged wrongly.
  if (role.Properties?.ManagedPolicyArns?.length) throw new Error(`${construct}: the roles check does not read managed policies`);
  const documents = [
    ...(role.Properties?.Policies ?? []).map((p: { PolicyDocument: unknown }) => p.PolicyDocument),
    ...Object.values(resourcesOf(template))
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties?.Roles ?? []).some((ref: { Ref?: string }) => ref.Ref === roleId))
      .map((r) => r.Properties!.PolicyDocument),
  ] as { Statement: Record<string, any>[] }[];
  return documents.flatMap((d) =>
    d.Statement.map((s) => {
      if (s.NotAction || s.NotResource) throw new Error(`${construct}: the roles check does not read NotAction/NotResource`);
      return {
        Effect: s.Effect,
        Action: [s.Action].flat(),
        Resource: [s.Resource].flat().map((r: unknown) => resolve(template, r)),
        ...(s.Condition ? { Condition: s.Condition } : {}),
      };
    }),
  );
}
