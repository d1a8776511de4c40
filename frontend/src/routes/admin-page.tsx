import { lazy } from 'react';
import { Route, Routes } from 'react-router-dom';

import { ProtectedRoute } from '@/features/auth/protected-route';
import { AdminLayout } from '@/features/layout/admin-layout';
import { AdminProviders } from '@/features/layout/admin-providers';

import { TicketsPage } from './tickets-page';

const AnalyticsDashboard = lazy(() =>
  import('@/features/analytics/components/analytics-dashboard').then((m) => ({ default: m.AnalyticsDashboard })),
);

/** /admin/*: agents only. Tickets ship with this chunk; analytics loads when its tab opens. */
export function AdminPage() {
  return (
    <ProtectedRoute>
      <AdminProviders>
        <AdminLayout>
          <Routes>
            <Route index element={<TicketsPage />} />
            <Route path="analytics" element={<AnalyticsDashboard />} />
          </Routes>
        </AdminLayout>
      </AdminProviders>
    </ProtectedRoute>
  );
}
