import { Customer as StoredCustomer } from '../domain/model.ts';
import { normaliseOrgNumber } from '../domain/org-number.ts';
import { Email, Id, Mobile, Name, normalisedString, Version } from './common.schemas.ts';
import { mergePatchOf } from './merge-patch.schemas.ts';
import * as z from './zod.ts';

const OptIn = z
  .strictObject({ email: z.boolean().default(true), sms: z.boolean().default(true) })
  .openapi({ description: 'Whether the customer accepts notices by each channel; both default to true.' });

const OrgNumber = normalisedString(
  normaliseOrgNumber,
  'org-number',
  'must be a Norwegian organisation number: nine digits starting with 8 or 9, with a valid MOD11 check digit',
).openapi({ type: 'string', example: '974760673', description: 'Norwegian organisation number; spaces allowed, stored as nine digits.' });

const customerFields = {
  name: Name.openapi({ example: 'Fjord Bakeri AS' }),
  email: Email.optional(),
  mobile: Mobile.optional(),
  orgNumber: OrgNumber.optional(),
  customerNumber: z.string().max(32).trim().min(1).optional().openapi({ example: '10042', description: "The firm's own number for the customer." }),
  optIn: OptIn.default({ email: true, sms: true }),
};

export const CustomerCreate = z.strictObject(customerFields).openapi('CustomerCreate');

export const CustomerUpdate = z.strictObject({ ...customerFields, version: Version }).openapi('CustomerUpdate');

/** A customer as the API shows it: the stored customer without the idempotency record of its creation. */
export const Customer = StoredCustomer.omit({ idempotency: true })
  .safeExtend({
    id: Id,
    suppressed: StoredCustomer.shape.suppressed.meta({
      description: 'Set by SES bounce or complaint events: no e-mail goes to this address until it changes.',
    }),
    optOut: StoredCustomer.shape.optOut.meta({
      description:
        "Read-only: the customer's mobile answered STOPP to an SMS (`via: sms-stopp`) at `at`, which set `optIn.sms` to false, also on a customer saved with that number later. It stays while `optIn.sms` is false; setting it to true again removes it and lifts the number's STOPP.",
    }),
  })
  .openapi('Customer');

/** What a create or update writes, as the use cases receive it: the fields normalised, defaults applied. */
export type CustomerInput = z.output<typeof CustomerCreate>;

/** A merge patch of a customer (PATCH /customers/{id}): what it leaves out stays as stored. */
export const CustomerPatch = mergePatchOf(CustomerUpdate, 'CustomerPatch');
