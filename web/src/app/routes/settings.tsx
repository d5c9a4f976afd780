import { SettingsPage } from '@/features/settings';

/** The settings screen (loaded when first opened). */
export default function SettingsRoute() {
  return <SettingsPage />;
}
