import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Task } from '../utils/notice-values';

export type SaveWarning = NonNullable<Task['warnings']>[number];

/** What the save accepted but the firm should know (the answer's `warnings[]`), in words, per notice. */
export function SaveWarnings({ warnings }: { warnings: SaveWarning[] }) {
  const { t } = useTranslation();
  if (warnings.length === 0) return null;
  return (
    <Alert color="yellow" variant="outline" title={t('notices.warningsTitle')} role="status">
      <List size="sm">
        {warnings.map((warning, i) => {
          const text = t(`notices.warnings.${warning.code}`, { defaultValue: warning.message });
          const notice = /^notices\.(\d+)/.exec(warning.field);
          return <List.Item key={i}>{notice ? t('notices.warningOf', { number: Number(notice[1]) + 1, text }) : text}</List.Item>;
        })}
      </List>
    </Alert>
  );
}
