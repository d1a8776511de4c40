import { createTheme } from '@mui/material/styles';

import { components } from './components';
import { palette, shape, typography } from './tokens';

export const theme = createTheme({ palette, typography, shape, components });
