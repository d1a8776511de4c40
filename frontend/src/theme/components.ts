import type { Components, Theme } from '@mui/material/styles';

/** Per-component overrides: components stay free of ad-hoc styling. */
export const components: Components<Theme> = {
  MuiButton: {
    defaultProps: { disableElevation: true },
  },
  MuiAppBar: {
    defaultProps: { elevation: 0, color: 'inherit' },
    styleOverrides: {
      root: ({ theme }) => ({
        borderBottom: `1px solid ${theme.palette.divider}`,
        backgroundColor: theme.palette.background.paper,
      }),
    },
  },
  MuiPaper: {
    defaultProps: { elevation: 0 },
    styleOverrides: {
      outlined: ({ theme }) => ({ borderColor: theme.palette.divider }),
    },
  },
  MuiCard: {
    defaultProps: { variant: 'outlined' },
  },
  MuiTableCell: {
    styleOverrides: {
      head: ({ theme }) => ({
        fontWeight: 600,
        color: theme.palette.text.secondary,
        whiteSpace: 'nowrap',
      }),
    },
  },
  MuiTableRow: {
    styleOverrides: {
      root: ({ theme }) => ({
        '&.Mui-selected, &.Mui-selected:hover': { backgroundColor: theme.palette.primary.light },
      }),
    },
  },
  MuiChip: {
    defaultProps: { size: 'small' },
    styleOverrides: { root: { fontWeight: 600 } },
  },
  MuiTab: {
    styleOverrides: { root: { minHeight: 48 } },
  },
  MuiTextField: {
    defaultProps: { size: 'small' },
  },
  MuiSelect: {
    defaultProps: { size: 'small' },
  },
  MuiFormControl: {
    defaultProps: { size: 'small' },
  },
  MuiDialogTitle: {
    styleOverrides: { root: { paddingBottom: 8 } },
  },
  MuiAlert: {
    styleOverrides: { root: { alignItems: 'center' } },
  },
};
