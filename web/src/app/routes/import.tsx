import { ImportPage } from '@/features/imports';

/** The import of customers and tasks from a CSV file (loaded when first opened). */
export default function ImportRoute() {
  return <ImportPage />;
}
