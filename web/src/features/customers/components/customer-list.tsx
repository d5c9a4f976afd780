import { Anchor, Button, Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CursorPager, useCursorPages } from '@/components/cursor-pager';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
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
      {customers.isPending ? (
        <LoadingState label={t('customerScreens.list.loadingRows')} />
      ) : customers.isError ? (
        <ErrorState error={customers.error} onRetry={() => void customers.refetch()} />
      ) : customers.data.items.length === 0 ? (
        <EmptyState message={prefix.trim() ? t('customerScreens.list.emptySearch', { prefix: prefix.trim() }) : t('customerScreens.list.empty')} />
      ) : (
        <>
          <Table striped highlightOnHover aria-busy={customers.isPlaceholderData}>
            <Table.Caption>{t('customerScreens.list.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('customerScreens.list.columns.name')}</Table.Th>
                <Table.Th scope="col">{t('customerScreens.list.columns.email')}</Table.Th>
                <Table.Th scope="col">{t('customerScreens.list.columns.mobile')}</Table.Th>
                <Table.Th scope="col">{t('customerScreens.list.columns.orgNumber')}</Table.Th>
                <Table.Th scope="col">{t('customerScreens.list.columns.customerNumber')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {customers.data.items.map((customer) => (
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
              ))}
            </Table.Tbody>
          </Table>
          <CursorPager pages={pages} nextCursor={customers.data.nextCursor} />
        </>
      )}
    </Stack>
  );
}
