import Alert from '@mui/material/Alert';
import Snackbar from '@mui/material/Snackbar';

import { toasts as defaultStore, useToasts, type ToastStore } from '@/lib/toast-store';

/** Renders the oldest pending toast; the QueryClient's error policy feeds the store. */
export function AppSnackbar({ store = defaultStore }: { store?: ToastStore }) {
  const current = useToasts(store)[0];
  if (!current) return null;
  const close = () => store.dismiss(current.id);
  return (
    <Snackbar
      key={current.id}
      open
      autoHideDuration={6000}
      onClose={(_event, reason) => reason !== 'clickaway' && close()}
      anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
    >
      <Alert severity={current.severity} variant="filled" onClose={close}>
        {current.message}
      </Alert>
    </Snackbar>
  );
}
