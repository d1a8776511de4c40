import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Box from '@mui/material/Box';
import { Link as RouterLink, useLocation } from 'react-router-dom';

export const TICKETS_TAB_ID = 'tab-tickets';
export const ANALYTICS_TAB_ID = 'tab-analytics';
export const ADMIN_PANEL_ID = 'admin-tabpanel';

/** The two views as link tabs: each is its own route, so analytics loads only when opened. */
export function AdminTabs({ unseen }: { unseen: number }) {
  const { pathname } = useLocation();
  const current = pathname.startsWith('/admin/analytics') ? '/admin/analytics' : '/admin';
  return (
    <Tabs value={current} aria-label="Dashboard views" sx={{ px: 2, borderBottom: 1, borderColor: 'divider' }}>
      <Tab
        id={TICKETS_TAB_ID}
        aria-controls={ADMIN_PANEL_ID}
        value="/admin"
        label={
          <span>
            Tickets
            {unseen > 0 && (
              <Box
                component="span"
                sx={{ ml: 1, px: 0.75, borderRadius: 8, bgcolor: 'error.main', color: 'error.contrastText', fontSize: '0.75rem' }}
              >
                {unseen}
              </Box>
            )}
          </span>
        }
        aria-label="Tickets"
        component={RouterLink}
        to="/admin"
      />
      <Tab
        id={ANALYTICS_TAB_ID}
        aria-controls={ADMIN_PANEL_ID}
        value="/admin/analytics"
        label="Analytics"
        component={RouterLink}
        to="/admin/analytics"
      />
    </Tabs>
  );
}
