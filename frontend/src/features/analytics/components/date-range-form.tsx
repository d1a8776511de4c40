import Button from '@mui/material/Button';
import ButtonGroup from '@mui/material/ButtonGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';

import { zodResolver } from '@/lib/zod-resolver';

import { dateRangeSchema, lastDays, type DateRange } from '../data/date-range';

const presets = [7, 30, 90] as const;

interface DateRangeFormProps {
  range: DateRange;
  onApply: (range: DateRange) => void;
}

/** From/To (UTC days) plus presets; a valid range applies as soon as it is entered. */
export function DateRangeForm({ range, onApply }: DateRangeFormProps) {
  const { register, handleSubmit, reset, watch, formState } = useForm<DateRange>({
    resolver: zodResolver(dateRangeSchema),
    defaultValues: range,
    mode: 'onChange',
  });

  useEffect(() => reset(range), [range, reset]);

  useEffect(() => {
    const subscription = watch((_values, { name }) => {
      if (name) void handleSubmit(onApply)();
    });
    return () => subscription.unsubscribe();
  }, [watch, handleSubmit, onApply]);

  const { errors } = formState;
  return (
    <Stack
      component="form"
      aria-label="Date range"
      noValidate
      onSubmit={(event) => void handleSubmit(onApply)(event)}
      direction={{ xs: 'column', sm: 'row' }}
      spacing={1.5}
      sx={{ alignItems: { sm: 'flex-start' } }}
    >
      <ButtonGroup size="small" aria-label="Preset ranges" sx={{ alignSelf: { sm: 'center' } }}>
        {presets.map((days) => (
          <Button key={days} onClick={() => onApply(lastDays(days))}>
            Last {days} days
          </Button>
        ))}
      </ButtonGroup>
      <TextField
        {...register('from')}
        label="From"
        type="date"
        slotProps={{ inputLabel: { shrink: true } }}
        error={Boolean(errors.from)}
        helperText={errors.from?.message}
      />
      <TextField
        {...register('to')}
        label="To"
        type="date"
        slotProps={{ inputLabel: { shrink: true } }}
        error={Boolean(errors.to)}
        helperText={errors.to?.message}
      />
    </Stack>
  );
}
