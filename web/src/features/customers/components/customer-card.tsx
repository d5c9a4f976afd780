import { Anchor, Group, Stack, Tabs, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorState, LoadingState } from '@/components/states';
import { useFirmTimeZone } from '@/features/settings';
import { useCustomer } from '../api/get-customer';
import { CustomerForm } from './customer-form';
import { CustomerTasks } from './customer-tasks';
import { DeleteCustomer } from './delete-customer';
import { OptOutAlert } from './opt-out-alert';
import { SuppressionAlert } from './suppression-alert';

export type CustomerSection = 'details' | 'tasks' | 'documents';

/**
 * The customer card: the details (a form), the customer's tasks and, from the documents
 * feature, the document center (`documents`). The section shown is the route's.
 */
export function CustomerCard(props: {
  customerId: string;
  section: CustomerSection;
  onSection: (section: CustomerSection) => void;
  onDeleted: () => void;
  documents: ReactNode;
}) {
  const { t } = useTranslation();
  const timeZone = useFirmTimeZone();
  const customer = useCustomer(props.customerId);

  if (customer.isPending) return <LoadingState />;
  if (customer.isError) return <ErrorState error={customer.error} onRetry={() => void customer.refetch()} />;

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/customers">
        {t('customerScreens.card.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Title order={1} tabIndex={-1} id="customer-title">
          {customer.data.name}
        </Title>
        <DeleteCustomer customer={customer.data} onDeleted={props.onDeleted} />
      </Group>
      <SuppressionAlert customer={customer.data} timeZone={timeZone} />
      <OptOutAlert customer={customer.data} timeZone={timeZone} />
      <Tabs value={props.section} onChange={(value) => value && props.onSection(value as CustomerSection)} keepMounted={false}>
        <Tabs.List aria-label={t('customerScreens.card.sections')}>
          <Tabs.Tab value="details">{t('customerScreens.card.details')}</Tabs.Tab>
          <Tabs.Tab value="tasks">{t('customerScreens.card.tasks')}</Tabs.Tab>
          <Tabs.Tab value="documents">{t('customerScreens.card.documents')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details" pt="md">
          <CustomerForm
            customer={customer.data}
            onReload={async () => {
              const fresh = await customer.refetch();
              return fresh.data;
            }}
          />
        </Tabs.Panel>
        <Tabs.Panel value="tasks" pt="md">
          <CustomerTasks customerId={props.customerId} timeZone={timeZone} />
        </Tabs.Panel>
        <Tabs.Panel value="documents" pt="md">
          {props.documents}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
