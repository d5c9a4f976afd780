import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../functions/api/openapi.ts';
import { ROUTES } from '../../functions/api/routes.ts';
import { IdempotencyKey } from '../../shared/api/common.schemas.ts';
import { NoticeInput, TaskCreate } from '../../shared/api/task.schemas.ts';
import { parseOffset } from '../../shared/domain/offset-duration.ts';

// The document's patterns are written apart from the checks the service runs: they must
// accept exactly the formats the service accepts (the service may refuse more, e.g. 30 February).
const doc = buildOpenApiDocument(ROUTES) as any;
const schemas = doc.components.schemas;

describe('patterns in /openapi.json agree with the service', () => {
  it('offset', () => {
    const pattern = new RegExp(schemas.NoticeInput.properties.offset.pattern);
    for (const value of ['P3D', 'PT2H', 'P1W', 'P1M', 'P1DT12H', 'PT0S', 'P1M1W1DT1H1M1S', 'P', 'PT', 'P1DT', 'P1Y', 'P1.5D', 'p3d', '3D', 'P12345D']) {
      expect(pattern.test(value), value).toBe(parseOffset(value) !== 'format');
    }
  });

  it('deadline', () => {
    const pattern = new RegExp(schemas.TaskCreate.properties.deadline.pattern);
    const accepted = (deadline: string) => TaskCreate.safeParse({ title: 't', customerId: 'c', deadline }).success;
    for (const value of [
      '2027-02-10',
      '2027-02-10T14:00:00+01:00',
      '2027-02-10T14:00Z',
      '2027-02-10T14:00:00.123Z',
      '2027-02-10T14:00',
      '2027-02-10T14:00:00',
      '10.02.2027',
      '2027-02-10 14:00Z',
    ]) {
      expect(pattern.test(value), value).toBe(accepted(value));
    }
  });

  it('Idempotency-Key', () => {
    const parameter = doc.paths['/tasks'].post.parameters.find((p: { name: string }) => p.name === 'Idempotency-Key');
    const pattern = new RegExp(parameter.schema.pattern);
    for (const value of ['a', 'A-z_9', 'x'.repeat(64), 'x'.repeat(65), '', 'a b', 'æ']) {
      expect(pattern.test(value) && value.length <= parameter.schema.maxLength, JSON.stringify(value)).toBe(IdempotencyKey.safeParse(value).success);
    }
  });

  it('sendAt and channels', () => {
    const notice = schemas.NoticeInput.properties;
    const base = { when: 'before', offset: 'P1D', message: 'm', subject: 's' };
    expect(notice.channels.uniqueItems).toBe(true);
    expect(NoticeInput.safeParse({ ...base, channels: ['email', 'email'] }).success).toBe(false);
    const sendAt = new RegExp(notice.sendAt.pattern);
    for (const value of ['09:00', '23:59', '24:00', '9:00', '09:60']) {
      expect(sendAt.test(value), value).toBe(NoticeInput.safeParse({ ...base, channels: ['sms'], sendAt: value }).success);
    }
  });

  it('limit', () => {
    const limit = doc.paths['/tasks'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 25 });
  });
});
