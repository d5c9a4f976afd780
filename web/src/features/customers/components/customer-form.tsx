import { Alert, Button, Fieldset, Group, Stack, Switch, TextInput } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConflictAlert, ErrorState } from '@/components/states';
import { useSchemaForm } from '@/lib/forms';
import { CustomerCreate, CustomerUpdate } from '../../../../../shared/api/customer.schemas.ts';
import type { Customer } from '../api/get-customer';
import { useCreateCustomer, usePatchCustomer } from '../api/save-customer';
import { CUSTOMER_FIELDS, customerBody, customerPatch, EMPTY_CUSTOMER, formValuesOf, type CustomerFormValues } from '../utils/customer-form-values';

type Outcome = { kind: 'saved' } | { kind: 'unchanged' } | { kind: 'conflict' } | { kind: 'failed'; error: unknown } | undefined;

/**
 * The customer's details: a new customer (POST) or a change to one (PATCH with only what
 * changed). Checked in the browser with the API's own schema, so a field is refused for the
 * same rule, in the same words, as by the server.
 */
export function CustomerForm(props: { customer?: Customer; onCreated?: (customer: Customer) => void; onReload?: () => Promise<Customer | undefined> }) {
  const { customer } = props;
  return customer ? <EditCustomerForm key={customer.id} customer={customer} onReload={props.onReload} /> : <NewCustomerForm onCreated={props.onCreated} />;
}

function NewCustomerForm({ onCreated }: { onCreated?: (customer: Customer) => void }) {
  const { t } = useTranslation();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [outcome, setOutcome] = useState<Outcome>();
  const create = useCreateCustomer();
  const kit = useSchemaForm<CustomerFormValues>({ initialValues: EMPTY_CUSTOMER, schema: CustomerCreate, toBody: customerBody, fields: CUSTOMER_FIELDS });

  const submit = kit.form.onSubmit(async (values) => {
    kit.clearMessages();
    setOutcome(undefined);
    try {
      onCreated?.(await create.mutateAsync({ body: customerBody(values), idempotencyKey }));
    } catch (error) {
      if (kit.showSaveError(error) !== 'fields') setOutcome({ kind: 'failed', error });
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md" maw={560}>
        <CustomerFields kit={kit} />
        <OutcomeMessage outcome={outcome} formMessages={kit.formMessages} creating />
        <Group>
          <Button type="submit" loading={create.isPending}>
            {t('customerScreens.form.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EditCustomerForm({ customer, onReload }: { customer: Customer; onReload?: () => Promise<Customer | undefined> }) {
  const { t } = useTranslation();
  const [version, setVersion] = useState(customer.version);
  const [outcome, setOutcome] = useState<Outcome>();
  const patch = usePatchCustomer(customer.id);
  const saveButton = useRef<HTMLButtonElement>(null);
  const kit = useSchemaForm<CustomerFormValues>({
    initialValues: formValuesOf(customer),
    // The merged customer must pass every rule of a PUT: check the whole of it.
    schema: CustomerUpdate,
    toBody: (values) => ({ ...customerBody(values), version }),
    fields: CUSTOMER_FIELDS,
  });

  function showStored(stored: Customer) {
    const values = formValuesOf(stored);
    kit.form.setInitialValues(values);
    kit.form.setValues(values);
    kit.form.resetDirty(values);
    setVersion(stored.version);
  }

  const submit = kit.form.onSubmit(async (values) => {
    kit.clearMessages();
    setOutcome(undefined);
    const body = customerPatch(kit.form.getInitialValues(), values, version);
    if (!body) {
      setOutcome({ kind: 'unchanged' });
      return;
    }
    try {
      showStored(await patch.mutateAsync(body));
      setOutcome({ kind: 'saved' });
    } catch (error) {
      const shown = kit.showSaveError(error);
      if (shown !== 'fields') setOutcome(shown === 'conflict' ? { kind: 'conflict' } : { kind: 'failed', error });
    }
  });

  async function reload() {
    const fresh = await onReload?.();
    if (fresh) showStored(fresh);
    setOutcome(undefined);
    kit.form.clearErrors();
    saveButton.current?.focus();
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md" maw={560}>
        <CustomerFields kit={kit} />
        <OutcomeMessage outcome={outcome} formMessages={kit.formMessages} onReload={() => void reload()} />
        <Group>
          <Button type="submit" loading={patch.isPending} ref={saveButton}>
            {t('customerScreens.form.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function CustomerFields({ kit }: { kit: ReturnType<typeof useSchemaForm<CustomerFormValues>> }) {
  const { t } = useTranslation();
  const { form } = kit;
  return (
    <>
      <TextInput label={t('customerScreens.form.name')} withAsterisk autoComplete="organization" {...form.getInputProps('name')} />
      <TextInput label={t('customerScreens.form.email')} type="email" autoComplete="email" {...form.getInputProps('email')} />
      <TextInput
        label={t('customerScreens.form.mobile')}
        description={t('customerScreens.form.mobileHint')}
        type="tel"
        autoComplete="tel"
        {...form.getInputProps('mobile')}
      />
      <TextInput label={t('customerScreens.form.orgNumber')} inputMode="numeric" {...form.getInputProps('orgNumber')} />
      <TextInput label={t('customerScreens.form.customerNumber')} {...form.getInputProps('customerNumber')} />
      <Fieldset legend={t('customerScreens.form.optIn')} variant="unstyled">
        <Stack gap="xs">
          <Switch label={t('customerScreens.form.optInEmail')} {...form.getInputProps('optIn.email', { type: 'checkbox' })} />
          <Switch label={t('customerScreens.form.optInSms')} {...form.getInputProps('optIn.sms', { type: 'checkbox' })} />
        </Stack>
      </Fieldset>
    </>
  );
}

function OutcomeMessage(props: { outcome: Outcome; formMessages: string[]; onReload?: () => void; creating?: boolean }) {
  const { outcome, formMessages, onReload, creating = false } = props;
  const { t } = useTranslation();
  return (
    <>
      {formMessages.length > 0 && (
        <Alert color="red" role="alert" variant="outline">
          {formMessages.join(' ')}
        </Alert>
      )}
      {outcome?.kind === 'conflict' && onReload && <ConflictAlert onReload={onReload} />}
      {outcome?.kind === 'failed' && <ErrorState error={outcome.error} creating={creating} />}
      <div role="status">
        {outcome?.kind === 'saved' && (
          <Alert color="green" variant="light">
            {t('customerScreens.form.saved')}
          </Alert>
        )}
        {outcome?.kind === 'unchanged' && <Alert variant="light">{t('customerScreens.form.nothingChanged')}</Alert>}
      </div>
    </>
  );
}
