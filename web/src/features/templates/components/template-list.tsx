import { Alert, Anchor, Button, Group, Stack, Table, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { PagedTable, useCursorPages } from '@/components/cursor-pager';
import { describeNotice } from '@/features/notices';
import { formatDateTime } from '@/utils/format-date';
import { useTemplates } from '../api/template-queries';

/** The firm's notice templates by name: each with its notices in words, its version and when it last changed. */
export function TemplateList({ timeZone }: { timeZone: string }) {
  const { t } = useTranslation();
  const pages = useCursorPages();
  const templates = useTemplates(pages.cursor);
  // Come from the register's "apply a template": each name leads to applying it to the register's filters.
  const [params] = useSearchParams();
  const applying = params.get('apply') === '1';
  const filters = new URLSearchParams(params);
  filters.delete('apply');
  const linkOf = (id: string) => `/templates/${encodeURIComponent(id)}${applying ? `/apply?${filters}` : ''}`;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1}>{t('templates.list.title')}</Title>
        <Button component={Link} to="/templates/new">
          {t('templates.list.new')}
        </Button>
      </Group>
      {applying && (
        <Alert color="blue" variant="outline">
          {t('templates.list.pickToApply')}
        </Alert>
      )}
      <PagedTable
        query={templates}
        pages={pages}
        caption={t('templates.list.caption')}
        columns={(['name', 'notices', 'version', 'updated'] as const).map((column) => t(`templates.list.columns.${column}`))}
        empty={t('templates.list.empty')}
        loadingLabel={t('templates.list.loading')}
        row={(template) => (
          <Table.Tr key={template.id}>
            <Table.Td>
              <Anchor component={Link} to={linkOf(template.id)}>
                {template.name}
              </Anchor>
            </Table.Td>
            <Table.Td>{template.notices.map((notice) => describeNotice(notice, t, true)).join('; ')}</Table.Td>
            <Table.Td>{template.version}</Table.Td>
            <Table.Td>{formatDateTime(template.updatedAt, timeZone)}</Table.Td>
          </Table.Tr>
        )}
      />
    </Stack>
  );
}
