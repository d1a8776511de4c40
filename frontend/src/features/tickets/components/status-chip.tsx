import Chip from '@mui/material/Chip';

import { statusColor, statusLabel } from '../data/display';
import type { TicketStatus } from '../data/schema';

export function StatusChip({ status }: { status: TicketStatus }) {
  return <Chip color={statusColor[status]} label={statusLabel[status]} />;
}
