import Box from '@mui/material/Box';
import { Suspense, type ReactNode } from 'react';
import { useLocation } from 'react-router-dom';

import { ConnectionBanner } from '@/components/connection-banner';
import { FullPageSpinner } from '@/components/full-page-spinner';
import { useAgent, useAuth } from '@/features/auth/auth-provider';
import { useDeskNotifications } from '@/features/notifications/use-desk-notifications';
import { useFeedStatus } from '@/features/realtime/desk-feed-provider';
import { useAgentPresence } from '@/features/realtime/use-agent-presence';
import { useLiveTicketCache } from '@/features/tickets/hooks/use-live-ticket-cache';

import { ADMIN_PANEL_ID, AdminTabs, ANALYTICS_TAB_ID, TICKETS_TAB_ID } from './admin-tabs';
import { DeskAppBar } from './desk-app-bar';

/** AppBar, connection banner, tabs and the active tab's view. */
export function AdminLayout({ children }: { children: ReactNode }) {
  const agent = useAgent();
  const { signOut } = useAuth();
  const { pathname } = useLocation();
  const online = useAgentPresence(agent);
  const status = useFeedStatus();
  const unseen = useDeskNotifications();
  useLiveTicketCache();


  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      <DeskAppBar agent={agent} online={online} onLogout={() => void signOut()} />
      <Box component="main" sx={{ flexGrow: 1, display: 'flex', flexDirection: 'column' }}>
        <ConnectionBanner paused={status === 'paused'} />
        <AdminTabs unseen={unseen} />
        <Box
          id={ADMIN_PANEL_ID}
          role="tabpanel"
          aria-labelledby={pathname.startsWith('/admin/analytics') ? ANALYTICS_TAB_ID : TICKETS_TAB_ID}
          sx={{ flexGrow: 1, p: { xs: 1, sm: 2, md: 3 } }}
        >
          <Suspense fallback={<FullPageSpinner label="Loading view" />}>{children}</Suspense>
        </Box>
      </Box>
    </Box>
  );
}
