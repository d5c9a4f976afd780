import { Button, Card, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ClockMark } from '@/components/clock-mark';
import { describeNotice } from '../utils/describe-notice';
import type { Notice } from '../utils/notice-values';

interface NoticeListProps {
  notices: Notice[];
  dateOnly: boolean;
  busy: boolean;
  /** False when the list is at its fewest (a template keeps one notice). */
  canRemove?: boolean;
  onEdit: (index: number) => void;
  onRemove: (index: number) => void;
}

/** The notices in words, each with its edit and remove buttons. */
export function NoticeList({ notices, dateOnly, busy, canRemove = true, onEdit, onRemove }: NoticeListProps) {
  const { t } = useTranslation();
  return (
    <Stack component="ol" gap="xs" p={0} m={0} aria-label={t('notices.listLabel')} style={{ listStyle: 'none' }}>
      {notices.map((notice, index) => (
        <Card component="li" withBorder key={notice.id} padding="sm">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Group gap="sm" wrap="nowrap" align="flex-start">
              <ClockMark label={t('notices.number', { number: index + 1 })} />
              <Stack gap={2}>
                <Text fw={600}>{describeNotice(notice, t, dateOnly)}</Text>
                <Text size="sm" c="dimmed" lineClamp={1}>
                  {notice.subject ?? notice.message}
                </Text>
              </Stack>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <Button variant="default" size="xs" aria-label={t('notices.editLabel', { number: index + 1 })} onClick={() => onEdit(index)}>
                {t('notices.edit')}
              </Button>
              <Button
                variant="default"
                color="red"
                size="xs"
                aria-label={t('notices.removeLabel', { number: index + 1 })}
                disabled={busy || !canRemove}
                onClick={() => onRemove(index)}
              >
                {t('notices.remove')}
              </Button>
            </Group>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
