import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

import { formatDateTime, formatDuration, parseTimestampMicros } from '@/lib/time';

import type { Ticket } from '../data/schema';

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <Typography component="dt" variant="caption" color="text.secondary">
        {term}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, mb: 1, overflowWrap: 'anywhere' }}>
        {children}
      </Typography>
    </>
  );
}

function firstResponse(ticket: Ticket): string {
  if (!ticket.first_response_at) return 'Not yet answered';
  const seconds = (parseTimestampMicros(ticket.first_response_at) - parseTimestampMicros(ticket.created_at)) / 1e6;
  return `after ${formatDuration(seconds)}`;
}

export function CustomerInfo({ ticket }: { ticket: Ticket }) {
  const customer = ticket.customer;
  return (
    <Stack component="section" aria-labelledby="customer-heading">
      <Typography id="customer-heading" component="h3" variant="h3" sx={{ mb: 1 }}>
        Customer
      </Typography>
      <Stack component="dl" sx={{ m: 0 }}>
        <Row term="Name">{customer?.name ?? '—'}</Row>
        <Row term="Email">
          {customer?.email ? <Link href={`mailto:${customer.email}`}>{customer.email}</Link> : '—'}
        </Row>
        {customer?.created_at && <Row term="Customer since">{formatDateTime(customer.created_at)}</Row>}
        <Row term="Ticket opened">{formatDateTime(ticket.created_at)}</Row>
        <Row term="First response">{firstResponse(ticket)}</Row>
        <Row term="Last activity">{formatDateTime(ticket.last_message_at)}</Row>
      </Stack>
    </Stack>
  );
}
