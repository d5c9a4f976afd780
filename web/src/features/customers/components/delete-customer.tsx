import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '@/components/states';
import { ApiError } from '@/lib/api';
import type { Customer } from '../api/get-customer';
import { useDeleteCustomer } from '../api/save-customer';

/** Deletes the customer after a confirmation; a customer with tasks is refused, and the dialog says why. */
export function DeleteCustomer({ customer, onDeleted }: { customer: Customer; onDeleted: () => void }) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const remove = useDeleteCustomer(customer.id);
  const hasTasks = remove.error instanceof ApiError && remove.error.isConflict;

  function dismiss() {
    close();
    remove.reset();
  }

  return (
    <>
      <Button color="red" variant="outline" onClick={open}>
        {t('customerScreens.delete.button')}
      </Button>
      <Modal
        opened={opened}
        onClose={dismiss}
        title={t('customerScreens.delete.title', { name: customer.name })}
        closeButtonProps={{ 'aria-label': t('customerScreens.delete.close') }}
      >
        <Stack gap="md">
          {hasTasks ? (
            <Alert color="orange" role="alert" variant="outline">
              {t('customerScreens.delete.hasTasks')}
            </Alert>
          ) : remove.isError ? (
            <ErrorState error={remove.error} />
          ) : (
            <Text>{t('customerScreens.delete.body')}</Text>
          )}
          <Group justify="flex-end">
            {remove.isError ? (
              <Button onClick={dismiss} data-autofocus>
                {t('customerScreens.delete.close')}
              </Button>
            ) : (
              <>
                <Button variant="default" onClick={dismiss} data-autofocus>
                  {t('customerScreens.delete.cancel')}
                </Button>
                <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(undefined, { onSuccess: onDeleted })}>
                  {t('customerScreens.delete.confirm')}
                </Button>
              </>
            )}
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
