import Chip from '@mui/material/Chip';

import { priorityColor, priorityLabel } from '../data/display';
import type { TicketPriority } from '../data/schema';

export function PriorityChip({ priority }: { priority: TicketPriority }) {
  return (
    <Chip
      variant={priority === 'low' || priority === 'normal' ? 'outlined' : 'filled'}
      color={priorityColor[priority]}
      label={priorityLabel[priority]}
    />
  );
}
