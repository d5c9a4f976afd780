import { Button, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '@/components/confirm-dialog';
import type { Settings } from '../api/get-settings';
import { useSettingsSection, type SectionPatch } from '../hooks/use-settings-section';
import { SettingsSection } from './settings-section';

/**
 * The firm's account with the SMS provider. The password is write-only: the screen says
 * whether one is set, and offers to set, change or remove it; it never has it to show.
 */
export function SmsAccountSection({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const passwordSet = settings.smsAccount.passwordSet;
  const [changingPassword, setChangingPassword] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const section = useSettingsSection({
    settings,
    values: (s) => ({ smsAccount: { username: s.smsAccount.username ?? '', password: '' } }),
    toBody: ({ smsAccount: { username, password } }) =>
      username === '' && password === '' ? {} : { smsAccount: { username, ...(password === '' ? {} : { password }) } },
    toPatch: ({ smsAccount: { username, password } }, s) => {
      const smsAccount: NonNullable<SectionPatch['smsAccount']> = {};
      if (username.trim() !== (s.smsAccount.username ?? '')) smsAccount.username = username;
      if (password !== '') smsAccount.password = password;
      return Object.keys(smsAccount).length > 0 ? { smsAccount } : undefined;
    },
    fields: ['smsAccount.username', 'smsAccount.password'],
  });
  const { form, save, status } = section;
  // A saved password closes the change; a refused one stays open at its message.
  useEffect(() => {
    if (status?.kind === 'saved') setChangingPassword(false);
  }, [status]);
  const hasAccount = settings.smsAccount.username !== undefined || passwordSet;
  const showPassword = !passwordSet || changingPassword;

  // What the user asked to remove, until they confirm or cancel.
  const [removing, setRemoving] = useState<'password' | 'account'>();
  const removeDialog = removing === 'password' ? 'removePasswordDialog' : 'removeAccountDialog';
  function remove(what: 'password' | 'account') {
    setRemoving(undefined);
    if (what === 'password') void save({ smsAccount: { password: null } }, 'settings.smsAccount.passwordRemoved');
    else void save({ smsAccount: null }, 'settings.smsAccount.accountRemoved');
  }

  function startChange() {
    setChangingPassword(true);
    requestAnimationFrame(() => passwordRef.current?.focus());
  }
  function stopChange() {
    setChangingPassword(false);
    form.setFieldValue('smsAccount.password', '');
  }

  return (
    <SettingsSection
      title={t('settings.smsAccount.title')}
      {...section}
      actions={
        <>
          {passwordSet && !changingPassword && (
            <Button variant="default" onClick={startChange}>
              {t('settings.smsAccount.changePassword')}
            </Button>
          )}
          {changingPassword && (
            <Button variant="default" onClick={stopChange}>
              {t('settings.smsAccount.cancelPassword')}
            </Button>
          )}
          {passwordSet && (
            <Button variant="default" color="red" onClick={() => setRemoving('password')}>
              {t('settings.smsAccount.removePassword')}
            </Button>
          )}
          {hasAccount && (
            <Button variant="subtle" color="red" onClick={() => setRemoving('account')}>
              {t('settings.smsAccount.removeAccount')}
            </Button>
          )}
        </>
      }
    >
      <Text size="sm">{t('settings.smsAccount.intro')}</Text>
      <TextInput label={t('settings.smsAccount.username')} autoComplete="off" w={{ base: '100%', sm: 400 }} {...form.getInputProps('smsAccount.username')} />
      <Text size="sm" fw={500} data-testid="sms-password-state">
        {passwordSet ? t('settings.smsAccount.passwordSet') : t('settings.smsAccount.passwordNotSet')}
      </Text>
      {showPassword && (
        <TextInput
          ref={passwordRef}
          type="password"
          autoComplete="new-password"
          label={passwordSet ? t('settings.smsAccount.newPassword') : t('settings.smsAccount.password')}
          w={{ base: '100%', sm: 400 }}
          {...form.getInputProps('smsAccount.password')}
        />
      )}
      {removing && (
        <ConfirmDialog
          opened
          title={t(`settings.smsAccount.${removeDialog}.title`)}
          body={t(`settings.smsAccount.${removeDialog}.body`)}
          confirmLabel={t(`settings.smsAccount.${removeDialog}.confirm`)}
          cancelLabel={t('settings.smsAccount.cancelRemove')}
          onConfirm={() => remove(removing)}
          onCancel={() => setRemoving(undefined)}
        />
      )}
    </SettingsSection>
  );
}
