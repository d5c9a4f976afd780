import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useId, type FormEventHandler, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { ConflictAlert } from '@/components/states';
import type { SectionStatus } from '../hooks/use-settings-section';

interface SettingsSectionProps {
  title: string;
  onSubmit: FormEventHandler<HTMLFormElement>;
  saving: boolean;
  status: SectionStatus;
  statusRef: RefObject<HTMLDivElement | null>;
  formMessages: string[];
  onReload: () => void;
  children: ReactNode;
  /** More buttons beside Save (remove, ...). */
  actions?: ReactNode;
}

/** One part of the settings: a titled form with its own Save, and what its last save did. */
export function SettingsSection({ title, onSubmit, saving, status, statusRef, formMessages, onReload, children, actions }: SettingsSectionProps) {
  const { t } = useTranslation();
  const titleId = useId();
  return (
    <Paper component="section" withBorder p="md" aria-labelledby={titleId}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h3" id={titleId}>
            {title}
          </Title>
          {children}
          {formMessages.map((message) => (
            <Text key={message} c="red.8" size="sm">
              {message}
            </Text>
          ))}
          <div ref={statusRef} tabIndex={-1}>
            <SectionStatusMessage status={status} onReload={onReload} />
          </div>
          <Group gap="sm">
            <Button type="submit" loading={saving}>
              {t('settings.save')}
            </Button>
            {actions}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function SectionStatusMessage({ status, onReload }: { status: SectionStatus; onReload: () => void }) {
  const { t } = useTranslation();
  if (status === null) return null;
  if (status.kind === 'conflict') return <ConflictAlert onReload={onReload} />;
  if (status.kind === 'failed') {
    return (
      <Alert color="red" variant="outline" role="alert">
        {t('settings.saveFailed')}
      </Alert>
    );
  }
  return (
    <Text role="status" size="sm" fw={500}>
      {t(status.message)}
    </Text>
  );
}
