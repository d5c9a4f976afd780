// The domain's schemas are loaded before anything of shared/api, as a Lambda handler may load
// them: the document must still build (see the note in shared/api/zod.ts).
import '../../shared/domain/attention.ts';
import '../../shared/domain/delivery.ts';
import '../../shared/domain/job.ts';
import '../../shared/domain/model.ts';
import '../../shared/domain/save-warnings.ts';
import '../../shared/domain/sms-encoding.ts';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CustomerInput } from '../../shared/api/customer.schemas.ts';
import type { SettingsInput } from '../../shared/api/settings.schemas.ts';
import type { NoticeInput, TaskInput } from '../../shared/api/task.schemas.ts';
import type { Customer, Notice, SettingsFields, TaskFields, Versioned } from '../../shared/domain/model.ts';

/** An intersection as the one object type it stands for, which expectTypeOf compares member by member. */
type Members<T> = { [K in keyof T]: T[K] };

/**
 * What a firm writes must be what is stored: a member added to an input schema and not to the
 * stored entity's schema (or the other way round) fails the typecheck of this file. The
 * responses need no such test: they are derived from the stored schemas, and every route's
 * answer is checked against its response schema where the route is declared (route.ts).
 */
describe('the input schemas and the stored entities declare the same members', () => {
  it('a customer as written is a stored customer without what Frist keeps itself', () => {
    expectTypeOf<CustomerInput>().toEqualTypeOf<Omit<Customer, 'id' | 'idempotency' | 'suppressed' | 'optOut' | keyof Versioned>>();
  });

  it('a task as written is the stored fields, its notices without ids yet (or the template they come from)', () => {
    expectTypeOf<Omit<TaskInput, 'notices' | 'templateId'>>().toEqualTypeOf<Omit<TaskFields, 'notices'>>();
    expectTypeOf<NoticeInput>().toEqualTypeOf<Members<Omit<Notice, 'id'> & { id?: string | undefined }>>();
  });

  it('the settings as written are the stored fields with the write-only password and the version read', () => {
    expectTypeOf<keyof SettingsInput>().toEqualTypeOf<keyof SettingsFields | 'version'>();
    expectTypeOf<Omit<SettingsInput, 'smsAccount' | 'maxLatenessHours' | 'sendOn' | 'quietHours' | 'smsLimits' | 'version'>>().toEqualTypeOf<
      Omit<SettingsFields, 'smsAccount' | 'maxLatenessHours' | 'sendOn' | 'quietHours' | 'smsLimits'>
    >();
    // Written with their defaults applied; absent only in settings stored before they existed.
    expectTypeOf<SettingsInput['sendOn']>().toEqualTypeOf<NonNullable<SettingsFields['sendOn']>>();
    expectTypeOf<SettingsInput['quietHours']>().toEqualTypeOf<NonNullable<SettingsFields['quietHours']>>();
    expectTypeOf<SettingsInput['smsLimits']>().toEqualTypeOf<NonNullable<SettingsFields['smsLimits']>>();
    expectTypeOf<NonNullable<SettingsInput['smsAccount']>>().toEqualTypeOf<
      Members<NonNullable<SettingsFields['smsAccount']> & { password?: string | null | undefined }>
    >();
  });
});

describe('/openapi.json from schemas derived from the domain', () => {
  it('builds when the domain was loaded first, with the components named', async () => {
    const { buildOpenApiDocument } = await import('../../functions/api/openapi.ts');
    const { ROUTES } = await import('../../functions/api/routes.ts');
    const document = buildOpenApiDocument(ROUTES) as { components: { schemas: Record<string, unknown> } };
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['Customer', 'Notice', 'Task', 'Settings', 'SmsDocument']));
  });
});
