import { lazy } from 'react';

/** The import screen, loaded when first shown. */
export const ImportPage = lazy(() => import('./components/import-page').then((module) => ({ default: module.ImportPage })));
