import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import NativeSelect from '@mui/material/NativeSelect';
import OutlinedInput from '@mui/material/OutlinedInput';
import { useId, type ReactNode } from 'react';

interface FormSelectProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
  minWidth?: number;
}

/**
 * A labelled native <select>: keyboard, screen readers and mobile pickers work out of the box,
 * and it avoids MUI's Select → Menu → Popover → Modal chain on the tickets first screen.
 */
export function FormSelect({ label, value, onChange, children, minWidth = 140 }: FormSelectProps) {
  const id = useId();
  return (
    <FormControl size="small" sx={{ minWidth }}>
      <InputLabel htmlFor={id} shrink>
        {label}
      </InputLabel>
      <NativeSelect
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        input={<OutlinedInput notched label={label} />}
      >
        {children}
      </NativeSelect>
    </FormControl>
  );
}
