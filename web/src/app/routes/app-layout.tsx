import { Anchor, AppShell, Burger, Button, Group, NavLink, SegmentedControl, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useSettings } from '@/features/settings';
import { useSignOut } from '@/lib/auth';
import { changeLanguage, currentLanguage, LANGUAGES } from '@/lib/i18n';

const NAVIGATION = [
  { to: '/', key: 'tasks', matches: (path: string) => path === '/' || path.startsWith('/tasks') },
  { to: '/customers', key: 'customers', matches: (path: string) => path.startsWith('/customers') },
  { to: '/templates', key: 'templates', matches: (path: string) => path.startsWith('/templates') || path.startsWith('/jobs') },
  { to: '/import', key: 'import', matches: (path: string) => path.startsWith('/import') },
  { to: '/settings', key: 'settings', matches: (path: string) => path.startsWith('/settings') },
] as const;

/** The frame of every signed-in screen: the firm, the menu, the language, sign-out. */
export function AppLayout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();
  const settings = useSettings();
  const signOut = useSignOut();
  const language = currentLanguage();

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <Anchor href="#main" className="skip-link">
        {t('app.skipToContent')}
      </Anchor>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('app.toggleNavigation')} />
            <Text fw={700} size="lg">
              {t('app.name')}
            </Text>
            <Text data-testid="firm-name" truncate>
              {settings.data ? settings.data.firm.name || t('app.firmUnknown') : ''}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <VisuallyHidden id="language-label">{t('app.language')}</VisuallyHidden>
            <SegmentedControl
              size="xs"
              aria-labelledby="language-label"
              value={language}
              onChange={(value) => void changeLanguage(value)}
              data={LANGUAGES.map((value) => ({ value, label: <span lang={value}>{t(`app.languages.${value}`)}</span> }))}
            />
            <Button variant="default" size="xs" onClick={() => void signOut()}>
              {t('app.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('app.mainNavigation')}>
        {NAVIGATION.map((item) => {
          const active = item.matches(pathname);
          return (
            <NavLink
              key={item.key}
              component={Link}
              to={item.to}
              label={t(`app.nav.${item.key}`)}
              active={active}
              aria-current={active ? 'page' : undefined}
              onClick={close}
            />
          );
        })}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
