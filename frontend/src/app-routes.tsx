import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';

/**
 * Code splitting by route: /login and /admin (with its tickets view) are separate chunks named
 * after their modules (LoginPage, AdminPage); the analytics tab is a chunk of its own
 * (AnalyticsDashboard, with Recharts) loaded from AdminPage.
 */
const LoginPage = lazy(() => import('./routes/login-page').then((m) => ({ default: m.LoginPage })));
const AdminPage = lazy(() => import('./routes/admin-page').then((m) => ({ default: m.AdminPage })));

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<Navigate to="/admin" replace />} />
      <Route path="/login" element={<LoginPage />} />
      <Route path="/admin/*" element={<AdminPage />} />
      <Route path="*" element={<Navigate to="/admin" replace />} />
    </Routes>
  );
}
