import { Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { ErrorState } from '@/components/states';
import { useDeleteTemplate, type Template } from '../api/template-queries';

/** Delete, after a confirmation that names the template and says the tasks keep their notices; then back to the list. */
export function DeleteTemplate({ template }: { template: Template }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [opened, { open, close }] = useDisclosure(false);
  const remove = useDeleteTemplate(template.id);
  const [failure, setFailure] = useState<unknown>();
  const confirm = () => {
    setFailure(undefined);
    remove.mutate(undefined, {
      onSuccess: () => {
        // Back to the list, the keyboard at the start of its content once the dialog has let go of it.
        void navigate('/templates', { replace: true });
        window.setTimeout(() => document.getElementById('main')?.focus(), 0);
      },
      onError: setFailure,
    });
  };
  return (
    <>
      <Button variant="outline" color="red" onClick={open}>
        {t('templates.delete.open')}
      </Button>
      <ConfirmDialog
        opened={opened}
        title={t('templates.delete.title')}
        body={t('templates.delete.body', { name: template.name })}
        confirmLabel={t('templates.delete.confirm')}
        cancelLabel={t('templates.delete.cancel')}
        busy={remove.isPending}
        onConfirm={confirm}
        onCancel={close}
      >
        {failure ? <ErrorState error={failure} /> : null}
      </ConfirmDialog>
    </>
  );
}
