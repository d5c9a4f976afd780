export { useFirmTimeZone, useSettings, type Settings } from './api/get-settings';
