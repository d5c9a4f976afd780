import { Anchor, Button, Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PagedTable, useCursorPages } from '@/components/cursor-pager';
import { formatPhoneForReaders } from '../../../../../shared/domain/phone.ts';
import { useCustomerList } from '../api/list-customers';

/** The firm's customers by name: search by the start of the name, a page at a time, and "New customer". */
export function CustomerList() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [prefix] = useDebouncedValue(search, 300);
  const pages = useCursorPages();
  const customers = useCustomerList(prefix, pages.cursor);

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1}>{t('customerScreens.list.title')}</Title>
        <Button component={Link} to="/customers/new">
          {t('customerScreens.list.newCustomer')}
        </Button>
      </Group>
      <TextInput
        type="search"
        label={t('customerScreens.list.search')}
        description={t('customerScreens.list.searchHint')}
        value={search}
        onChange={(event) => {
          setSearch(event.currentTarget.value);
          pages.reset();
        }}
        maw={400}
      />
      <PagedTable
        query={customers}
        pages={pages}
        caption={t('customerScreens.list.caption')}
        columns={(['name', 'email', 'mobile', 'orgNumber', 'customerNumber'] as const).map((column) => t(`customerScreens.list.columns.${column}`))}
        empty={prefix.trim() ? t('customerScreens.list.emptySearch', { prefix: prefix.trim() }) : t('customerScreens.list.empty')}
        loadingLabel={t('customerScreens.list.loadingRows')}
        row={(customer) => (
          <Table.Tr key={customer.id}>
            <Table.Td>
              <Anchor component={Link} to={`/customers/${customer.id}`}>
                {customer.name}
              </Anchor>
            </Table.Td>
            <Table.Td>{customer.email}</Table.Td>
            <Table.Td>{customer.mobile && formatPhoneForReaders(customer.mobile)}</Table.Td>
            <Table.Td>{customer.orgNumber}</Table.Td>
            <Table.Td>{customer.customerNumber}</Table.Td>
          </Table.Tr>
        )}
      />
    </Stack>
  );
}
