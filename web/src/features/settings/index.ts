import { lazy } from 'react';

export { useFirmTimeZone, useSettings, type Settings } from './api/get-settings';

/** The settings screen, loaded when first shown (it carries the API's schemas for its forms): not part of the first screen. */
export const SettingsPage = lazy(() => import('./components/settings-page').then((module) => ({ default: module.SettingsPage })));
