import { Alert, Badge, Button, Checkbox, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { ErrorState, LoadingState } from '@/components/states';
import { ApiError } from '@/lib/api';
import { fieldMessages } from '@/utils/field-errors';
import {
  useCreateWebhook,
  useDeleteWebhook,
  usePingWebhook,
  useSetWebhookEnabled,
  useWebhooks,
  WEBHOOK_EVENT_TYPES,
  type Webhook,
  type WebhookEventType,
} from '../api/webhooks';

/** The firm's webhooks: each endpoint with its state and actions, and a form that adds one and shows its secret once. */
export function WebhooksSection() {
  const { t } = useTranslation();
  const titleId = useId();
  const webhooks = useWebhooks();
  return (
    <Paper component="section" withBorder p="md" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Title order={2} size="h3" id={titleId}>
          {t('settings.webhooks.title')}
        </Title>
        <Text>{t('settings.webhooks.intro')}</Text>
        {webhooks.isPending ? (
          <LoadingState />
        ) : webhooks.isError ? (
          <ErrorState error={webhooks.error} onRetry={() => void webhooks.refetch()} />
        ) : webhooks.data.items.length === 0 ? (
          <Text size="sm">{t('settings.webhooks.none')}</Text>
        ) : (
          webhooks.data.items.map((webhook) => <WebhookRow key={webhook.id} webhook={webhook} />)
        )}
        <AddWebhookForm />
      </Stack>
    </Paper>
  );
}

function WebhookRow({ webhook }: { webhook: Webhook }) {
  const { t } = useTranslation();
  const ping = usePingWebhook();
  const setEnabled = useSetWebhookEnabled();
  const remove = useDeleteWebhook();
  const [confirming, setConfirming] = useState(false);
  const state = webhook.enabled ? 'on' : webhook.disabled ? 'failing' : 'off';
  return (
    <Paper withBorder p="sm" component="article" aria-label={webhook.url}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={500} style={{ overflowWrap: 'anywhere' }}>
            {webhook.url}
          </Text>
          <Badge variant="outline" color={state === 'on' ? 'teal.9' : state === 'failing' ? 'red.9' : 'gray.8'}>
            {t(`settings.webhooks.state.${state}`)}
          </Badge>
        </Group>
        <Text size="sm">{webhook.eventTypes.join(', ')}</Text>
        <Group gap="xs">
          <Button size="xs" variant="default" loading={ping.isPending} onClick={() => ping.mutate(webhook.id)}>
            {t('settings.webhooks.test')}
          </Button>
          <Button
            size="xs"
            variant="default"
            loading={setEnabled.isPending}
            onClick={() => setEnabled.mutate({ id: webhook.id, enabled: !webhook.enabled, version: webhook.version })}
          >
            {t(webhook.enabled ? 'settings.webhooks.turnOff' : 'settings.webhooks.turnOn')}
          </Button>
          <Button size="xs" variant="default" color="red" onClick={() => setConfirming(true)}>
            {t('settings.webhooks.delete')}
          </Button>
        </Group>
        {ping.isSuccess && (
          <Text role="status" size="sm">
            {t('settings.webhooks.testQueued')}
          </Text>
        )}
        {(ping.isError || setEnabled.isError || remove.isError) && (
          <Alert color="red" variant="outline" role="alert">
            {t('settings.webhooks.failed')}
          </Alert>
        )}
      </Stack>
      <ConfirmDialog
        opened={confirming}
        title={t('settings.webhooks.deleteTitle')}
        body={t('settings.webhooks.deleteBody', { url: webhook.url })}
        confirmLabel={t('settings.webhooks.delete')}
        cancelLabel={t('settings.webhooks.cancel')}
        busy={remove.isPending}
        onConfirm={() => remove.mutate(webhook.id, { onSettled: () => setConfirming(false) })}
        onCancel={() => setConfirming(false)}
      />
    </Paper>
  );
}

function AddWebhookForm() {
  const { t } = useTranslation();
  const create = useCreateWebhook();
  const [url, setUrl] = useState('');
  const [eventTypes, setEventTypes] = useState<WebhookEventType[]>(['notice.sent', 'notice.failed']);
  const errors = create.error instanceof ApiError ? fieldMessages(create.error.fieldErrors, t, ['url', 'eventTypes']) : undefined;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ url: url.trim(), eventTypes }, { onSuccess: () => setUrl('') });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('settings.webhooks.add')}
        </Title>
        <TextInput
          label={t('settings.webhooks.url')}
          description={t('settings.webhooks.urlDescription')}
          value={url}
          onChange={(e) => setUrl(e.currentTarget.value)}
          error={errors?.byField.url}
        />
        <Checkbox.Group label={t('settings.webhooks.events')} value={eventTypes} onChange={(value) => setEventTypes(value)} error={errors?.byField.eventTypes}>
          <Stack gap={4} mt={4}>
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <Checkbox key={type} value={type} label={type} />
            ))}
          </Stack>
        </Checkbox.Group>
        {errors?.other.map((message) => (
          <Text key={message} c="red.8" size="sm">
            {message}
          </Text>
        ))}
        {create.isError && !errors && (
          <Alert color="red" variant="outline" role="alert">
            {t('settings.webhooks.failed')}
          </Alert>
        )}
        {create.isSuccess && (
          <Alert color="green" variant="outline" role="status" title={t('settings.webhooks.secretTitle')}>
            <Stack gap={6}>
              <Text size="sm">{t('settings.webhooks.secretOnce')}</Text>
              <TextInput aria-label={t('settings.webhooks.secret')} value={create.data.secret} readOnly onFocus={(e) => e.currentTarget.select()} />
            </Stack>
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={create.isPending}>
            {t('settings.webhooks.addButton')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
