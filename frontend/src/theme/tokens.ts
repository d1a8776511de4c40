import type { PaletteOptions, ThemeOptions } from '@mui/material/styles';

/**
 * Design tokens. Every foreground colour keeps at least 4.5:1 contrast against white text or a
 * white background (axe `color-contrast`), which MUI's default warning/info shades do not.
 */
export const palette: PaletteOptions = {
  mode: 'light',
  primary: { main: '#1d4ed8', dark: '#1e3a8a', light: '#dbeafe', contrastText: '#ffffff' },
  secondary: { main: '#6d28d9', contrastText: '#ffffff' },
  error: { main: '#b91c1c', contrastText: '#ffffff' },
  warning: { main: '#b45309', contrastText: '#ffffff' },
  info: { main: '#0369a1', contrastText: '#ffffff' },
  success: { main: '#15803d', contrastText: '#ffffff' },
  background: { default: '#f4f6fb', paper: '#ffffff' },
  text: { primary: '#111827', secondary: '#4b5563' },
  divider: '#e5e7eb',
};

export const typography: ThemeOptions['typography'] = {
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  h1: { fontSize: '1.5rem', fontWeight: 600 },
  h2: { fontSize: '1.25rem', fontWeight: 600 },
  h3: { fontSize: '1rem', fontWeight: 600 },
  button: { textTransform: 'none', fontWeight: 600 },
};

export const shape: ThemeOptions['shape'] = { borderRadius: 8 };
