import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useCallback, useEffect, useRef, useState, type ChangeEvent } from 'react';

import { FormSelect } from '@/components/form-select';
import { FormTextField } from '@/components/form-text-field';
import { firstErrorByField } from '@/lib/zod-errors';

import { priorityLabel, statusLabel } from '../data/display';
import { filterFormSchema, parseAssignee, type FilterFormValues, type TicketFilters } from '../data/filters';
import { ticketPriorities, ticketStatuses, type Agent } from '../data/schema';

/** Typing in the search box applies after this pause; selects and dates apply at once. */
export const SEARCH_DEBOUNCE_MS = 350;

type Field = keyof FilterFormValues;

const cleared: FilterFormValues = { status: 'all', priority: 'all', assignee: 'all', q: '', from: '', to: '' };

function toFormValues({ status, priority, assignee, q, from, to }: TicketFilters): FilterFormValues {
  return { status, priority, assignee, q, from, to };
}

const key = ({ status, priority, assignee, q, from, to }: FilterFormValues) =>
  JSON.stringify([status, priority, assignee, q.trim(), from, to]);

interface FilterBarProps {
  filters: TicketFilters;
  agents: readonly Agent[];
  onApply: (next: Partial<TicketFilters>) => void;
}

/**
 * Status, priority, assignee, text search (subject or customer email) and a created-date range.
 * The URL is the state: the bar edits a draft, validates it with `filterFormSchema` and applies
 * it when valid. Not react-hook-form: it is a live filter, not a submitted form.
 */
export function FilterBar({ filters, agents, onApply }: FilterBarProps) {
  const [values, setValues] = useState<FilterFormValues>(() => toFormValues(filters));
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const applied = useRef(key(values));
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // The URL changed elsewhere (the back button, a link): show it.
  useEffect(() => {
    const next = toFormValues(filters);
    if (key(next) === applied.current) return;
    applied.current = key(next);
    setValues(next);
    setErrors({});
  }, [filters]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const commit = useCallback(
    (draft: FilterFormValues) => {
      const result = filterFormSchema.safeParse(draft);
      if (!result.success) return setErrors(firstErrorByField(result.error.issues));
      setErrors({});
      if (key(result.data) === applied.current) return;
      applied.current = key(result.data);
      onApply({ ...result.data, assignee: parseAssignee(result.data.assignee) });
    },
    [onApply],
  );

  const change = (name: Field, value: string, delay = 0) => {
    const draft = { ...values, [name]: value } as FilterFormValues;
    setValues(draft);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => commit(draft), delay);
  };

  const text = (name: Field, delay = 0) => ({
    name,
    value: values[name],
    onChange: (event: ChangeEvent<HTMLInputElement>) => change(name, event.target.value, delay),
    error: errors[name],
  });

  return (
    <Stack
      component="form"
      role="search"
      aria-label="Filter tickets"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        clearTimeout(timer.current);
        commit(values);
      }}
      direction="row"
      useFlexGap
      sx={{ flexWrap: 'wrap', gap: 1.5, alignItems: 'flex-start' }}
    >
      <FormTextField
        label="Search"
        type="search"
        placeholder="Subject or customer email"
        size="small"
        binding={text('q', SEARCH_DEBOUNCE_MS)}
        sx={{ minWidth: 240, flexGrow: 1 }}
      />
      <FormSelect label="Status" value={values.status} onChange={(value) => change('status', value)}>
        <option value="all">All statuses</option>
        {ticketStatuses.map((status) => (
          <option key={status} value={status}>
            {statusLabel[status]}
          </option>
        ))}
      </FormSelect>
      <FormSelect label="Priority" value={values.priority} onChange={(value) => change('priority', value)}>
        <option value="all">All priorities</option>
        {ticketPriorities.map((priority) => (
          <option key={priority} value={priority}>
            {priorityLabel[priority]}
          </option>
        ))}
      </FormSelect>
      <FormSelect label="Assignee" value={values.assignee} onChange={(value) => change('assignee', value)} minWidth={160}>
        <option value="all">Anyone</option>
        <option value="me">Me</option>
        <option value="unassigned">Unassigned</option>
        {agents.map((agent) => (
          <option key={agent.id} value={agent.id}>
            {agent.display_name}
          </option>
        ))}
      </FormSelect>
      <FormTextField label="Created from" type="date" size="small" shrink binding={text('from')} sx={{ width: 170 }} />
      <FormTextField label="Created to" type="date" size="small" shrink binding={text('to')} sx={{ width: 170 }} />
      <Button
        onClick={() => {
          clearTimeout(timer.current);
          setValues(cleared);
          commit(cleared);
        }}
        sx={{ alignSelf: 'center' }}
      >
        Clear filters
      </Button>
    </Stack>
  );
}
