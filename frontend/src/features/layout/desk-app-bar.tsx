import LogoutIcon from '@mui/icons-material/Logout';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';

import type { OnlineAgent } from '@/features/realtime/use-agent-presence';
import { NotificationControls } from '@/features/notifications/notification-controls';
import type { Agent } from '@/features/tickets/data/schema';

interface DeskAppBarProps {
  agent: Agent;
  online: readonly OnlineAgent[];
  onLogout: () => void;
}

export function DeskAppBar({ agent, online, onLogout }: DeskAppBarProps) {
  const names = online.map((entry) => entry.display_name).join(', ');
  return (
    <AppBar position="sticky">
      <Toolbar sx={{ gap: 1 }}>
        <Typography component="h1" variant="h2" sx={{ color: 'primary.main', mr: 2 }}>
          supadesk
        </Typography>
        {online.length > 0 && (
          <Chip
            color="success"
            variant="outlined"
            label={`${online.length} ${online.length === 1 ? 'agent' : 'agents'} online`}
            title={`Online: ${names}`}
          />
        )}
        <Box sx={{ flexGrow: 1 }} />
        <NotificationControls />
        <Typography sx={{ mx: 1, display: { xs: 'none', sm: 'block' } }} aria-label={`Signed in as ${agent.display_name}`}>
          {agent.display_name}
        </Typography>
        <Button color="inherit" startIcon={<LogoutIcon />} onClick={onLogout}>
          Log out
        </Button>
      </Toolbar>
    </AppBar>
  );
}
