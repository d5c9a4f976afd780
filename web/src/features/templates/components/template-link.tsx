import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useTemplate } from '../api/template-queries';

/** On the task page: the template and version the task's notices are a copy of, and whether the template has moved on since. */
export function TemplateLink({ template }: { template: { id: string; version: number } }) {
  const { t } = useTranslation();
  const current = useTemplate(template.id);
  const newer = current.data && current.data.version > template.version ? current.data.version : undefined;
  return (
    <Text data-testid="task-template">
      {t('templates.follows.prefix')}{' '}
      {current.data ? (
        <Anchor component={Link} to={`/templates/${encodeURIComponent(template.id)}`}>
          {current.data.name}
        </Anchor>
      ) : (
        t(current.isError ? 'templates.follows.deleted' : 'common.loading')
      )}{' '}
      {t('templates.follows.version', { version: template.version })}
      {newer !== undefined && ` ${t('templates.follows.newer', { version: newer })}`}
    </Text>
  );
}
