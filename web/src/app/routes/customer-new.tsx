import { Anchor, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { CustomerForm } from '@/features/customers/screens';

/** A new customer; once created, its card opens. */
export default function CustomerNewRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/customers">
        {t('customerScreens.card.back')}
      </Anchor>
      <Title order={1}>{t('customerScreens.card.newTitle')}</Title>
      <CustomerForm onCreated={(customer) => void navigate(`/customers/${customer.id}`, { replace: true, state: { focusTitle: true } })} />
    </Stack>
  );
}
