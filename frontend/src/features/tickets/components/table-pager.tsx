import ChevronLeftIcon from '@mui/icons-material/ChevronLeft';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import CircularProgress from '@mui/material/CircularProgress';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';

interface TablePagerProps {
  page: number;
  pageSize: number;
  total: number;
  loading: boolean;
  onPage: (page: number) => void;
}

/** "51–100 of 230" with previous/next: the list is paged on the server, 50 at a time. */
export function TablePager({ page, pageSize, total, loading, onPage }: TablePagerProps) {
  const lastPage = Math.max(0, Math.ceil(total / pageSize) - 1);
  const current = Math.min(page, lastPage);
  const first = total === 0 ? 0 : current * pageSize + 1;
  const last = Math.min(total, (current + 1) * pageSize);
  return (
    <Stack
      component="nav"
      aria-label="Ticket pages"
      direction="row"
      spacing={1}
      sx={{ alignItems: 'center', justifyContent: 'flex-end', px: 2, py: 1 }}
    >
      {loading && <CircularProgress size={18} aria-label="Loading tickets" />}
      <Typography variant="body2" aria-live="polite">
        {first}–{last} of {total}
      </Typography>
      <IconButton aria-label="Previous page" disabled={current === 0} onClick={() => onPage(current - 1)}>
        <ChevronLeftIcon />
      </IconButton>
      <IconButton aria-label="Next page" disabled={current >= lastPage} onClick={() => onPage(current + 1)}>
        <ChevronRightIcon />
      </IconButton>
    </Stack>
  );
}
