import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApplyFilter } from '../api/job-queries';
import { COUNTED_TASKS, useMatchingTasks } from '../api/matching-tasks';
import type { Template } from '../api/template-queries';
import { tasksToChange } from '../utils/apply-plan';

/**
 * How many tasks the apply will change, counted from the register's first page of up to 100
 * matches; beyond that, what it will do in words (the API has no count, and reading every
 * page of a large register to count it would cost more than the apply).
 */
export function ApplyCount({ filter, template, onlyLinked }: { filter: ApplyFilter; template: Template; onlyLinked: boolean }) {
  const { t } = useTranslation();
  const matching = useMatchingTasks(filter, true);
  if (matching.isPending) return <Text>{t('templates.apply.counting')}</Text>;
  if (matching.isError) return <Text>{t('templates.apply.countUnknown')}</Text>;
  const { tasks, more } = matching.data;
  if (more) return <Text data-testid="apply-count">{t('templates.apply.countMany', { max: COUNTED_TASKS })}</Text>;
  const changing = tasksToChange(tasks, template, onlyLinked).length;
  return <Text data-testid="apply-count">{t('templates.apply.count', { count: changing, matched: tasks.length, left: tasks.length - changing })}</Text>;
}
