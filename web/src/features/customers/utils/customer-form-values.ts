import { formatPhoneForReaders } from '../../../../../shared/domain/phone.ts';
import type { Customer } from '../api/get-customer';
import type { CustomerCreateBody, CustomerPatchBody } from '../api/save-customer';

/** What the customer form edits: the texts as typed, the channels as switches. */
export interface CustomerFormValues extends Record<string, unknown> {
  name: string;
  email: string;
  mobile: string;
  orgNumber: string;
  customerNumber: string;
  optIn: { email: boolean; sms: boolean };
}

const TEXT_FIELDS = ['name', 'email', 'mobile', 'orgNumber', 'customerNumber'] as const;

/** The form's fields as the API names them: each shows its own rule's message. */
export const CUSTOMER_FIELDS = [...TEXT_FIELDS, 'optIn.email', 'optIn.sms'] as const;

export const EMPTY_CUSTOMER: CustomerFormValues = {
  name: '',
  email: '',
  mobile: '',
  orgNumber: '',
  customerNumber: '',
  optIn: { email: true, sms: true },
};

/** A stored customer as the form shows it: the mobile number as Norwegians write it (912 34 567). */
export function formValuesOf(customer: Customer): CustomerFormValues {
  return {
    name: customer.name,
    email: customer.email ?? '',
    mobile: customer.mobile ? formatPhoneForReaders(customer.mobile) : '',
    orgNumber: customer.orgNumber ?? '',
    customerNumber: customer.customerNumber ?? '',
    optIn: { ...customer.optIn },
  };
}

/** The body of a create (and, with the version, of a full update): empty fields left out. */
export function customerBody(values: CustomerFormValues): CustomerCreateBody {
  const body: Record<string, unknown> = { optIn: values.optIn };
  for (const field of TEXT_FIELDS) if (values[field].trim()) body[field] = values[field];
  return body as CustomerCreateBody;
}

/**
 * A merge patch of what the user changed since `initial`: a changed field is sent, an emptied
 * one removed (`null`), the rest left out; the version read always goes with it.
 */
export function customerPatch(initial: CustomerFormValues, values: CustomerFormValues, version: number): CustomerPatchBody | undefined {
  const patch: Record<string, unknown> = {};
  for (const field of TEXT_FIELDS) {
    if (values[field].trim() === initial[field].trim()) continue;
    patch[field] = values[field].trim() ? values[field] : null;
  }
  if (values.optIn.email !== initial.optIn.email || values.optIn.sms !== initial.optIn.sms) patch.optIn = values.optIn;
  if (Object.keys(patch).length === 0) return undefined;
  return { ...patch, version };
}
