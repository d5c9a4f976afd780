import { lazy, Suspense, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { LoadingState } from '@/components/states';
import { CALLBACK_PATH, RequireAuth } from '@/lib/auth';
import { AppLayout } from './routes/app-layout';
import { AuthCallbackRoute } from './routes/auth-callback';
import { NotFoundRoute } from './routes/not-found';
import { TasksRoute } from './routes/tasks';

// The register is the first screen and comes with the app; every other screen loads when first opened.
const TaskRoute = lazy(() => import('./routes/task'));
const NewTaskRoute = lazy(() => import('./routes/new-task'));
const CustomersRoute = lazy(() => import('./routes/customers'));
const SettingsRoute = lazy(() => import('./routes/settings'));
const CustomerNewRoute = lazy(() => import('./routes/customer-new'));
const CustomerRoute = lazy(() => import('./routes/customer'));
const DocumentRoute = lazy(() => import('./routes/document'));
const ImportRoute = lazy(() => import('./routes/import'));
const TemplatesRoute = lazy(() => import('./routes/templates'));

export function AppRoutes() {
  return (
    <Routes>
      <Route path={CALLBACK_PATH} element={<AuthCallbackRoute />} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<TasksRoute />} />
        <Route path="tasks/new" element={<Lazy route={<NewTaskRoute />} />} />
        <Route path="tasks/:taskId" element={<Lazy route={<TaskRoute />} />} />
        <Route path="customers" element={<Lazy route={<CustomersRoute />} />} />
        <Route path="customers/new" element={<Lazy route={<CustomerNewRoute />} />} />
        <Route path="customers/:customerId" element={<Lazy route={<CustomerRoute />} />} />
        <Route path="documents/:documentId" element={<Lazy route={<DocumentRoute />} />} />
        <Route path="settings" element={<Lazy route={<SettingsRoute />} />} />
        <Route path="import" element={<Lazy route={<ImportRoute />} />} />
        <Route path="templates" element={<Lazy route={<TemplatesRoute screen="list" />} />} />
        <Route path="templates/new" element={<Lazy route={<TemplatesRoute screen="new" />} />} />
        <Route path="templates/:templateId" element={<Lazy route={<TemplatesRoute screen="one" />} />} />
        <Route path="templates/:templateId/apply" element={<Lazy route={<TemplatesRoute screen="apply" />} />} />
        <Route path="jobs/:jobId" element={<Lazy route={<TemplatesRoute screen="job" />} />} />
        <Route path="*" element={<NotFoundRoute />} />
      </Route>
    </Routes>
  );
}

function Lazy({ route }: { route: ReactNode }) {
  return <Suspense fallback={<LoadingState />}>{route}</Suspense>;
}
