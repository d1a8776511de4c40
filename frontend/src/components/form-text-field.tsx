import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import InputLabel from '@mui/material/InputLabel';
import OutlinedInput from '@mui/material/OutlinedInput';
import { useId, type ChangeEvent } from 'react';

export interface TextFieldBinding {
  name: string;
  value: string;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  inputRef?: (element: HTMLInputElement | null) => void;
  error: string | undefined;
}

interface FormTextFieldProps {
  label: string;
  binding: TextFieldBinding;
  type?: string;
  autoComplete?: string;
  autoFocus?: boolean;
  placeholder?: string;
  size?: 'small' | 'medium';
  /** Keep the label above the input (dates, placeholders). */
  shrink?: boolean;
  sx?: object;
}

/**
 * A labelled outlined input. Used on the first screens instead of MUI TextField, which always
 * bundles Select → Menu → Popover → Modal, KBs that /login and the tickets list do not need.
 */
export function FormTextField(props: FormTextFieldProps) {
  const { label, binding, type = 'text', autoComplete, autoFocus, placeholder, size = 'medium', shrink, sx } = props;
  const id = useId();
  const helperId = `${id}-helper`;
  const { inputRef, error, ...field } = binding;
  return (
    <FormControl fullWidth={!sx} error={Boolean(error)} variant="outlined" size={size} sx={sx}>
      <InputLabel htmlFor={id} shrink={shrink}>
        {label}
      </InputLabel>
      <OutlinedInput
        {...field}
        id={id}
        inputRef={inputRef}
        type={type}
        label={label}
        notched={shrink}
        placeholder={placeholder}
        autoComplete={autoComplete}
        autoFocus={autoFocus}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? helperId : undefined}
      />
      {error && <FormHelperText id={helperId}>{error}</FormHelperText>}
    </FormControl>
  );
}
