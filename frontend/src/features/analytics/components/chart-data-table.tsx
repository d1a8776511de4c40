import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';

export interface DataRow {
  key: string;
  cells: readonly string[];
  /** Accessible name of the row's drill-down button. */
  actionLabel: string;
  onSelect: () => void;
}

interface ChartDataTableProps {
  caption: string;
  headers: readonly string[];
  rows: readonly DataRow[];
}

/** The chart's numbers as a table, each row drilling down: charts are not keyboard-friendly. */
export function ChartDataTable({ caption, headers, rows }: ChartDataTableProps) {
  return (
    <Accordion disableGutters elevation={0} slotProps={{ transition: { unmountOnExit: true } }} sx={{ mt: 1 }}>
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>Table view</AccordionSummary>
      <AccordionDetails sx={{ maxHeight: 320, overflowY: 'auto', p: 0 }} tabIndex={0} aria-label={caption}>
        <Table size="small">
          <caption>{caption}</caption>
          <TableHead>
            <TableRow>
              {headers.map((header) => (
                <TableCell key={header}>{header}</TableCell>
              ))}
              <TableCell>Tickets</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((row) => (
              <TableRow key={row.key}>
                {row.cells.map((cell, index) => (
                  <TableCell key={index}>{cell}</TableCell>
                ))}
                <TableCell>
                  <Button size="small" onClick={row.onSelect} aria-label={row.actionLabel}>
                    List
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </AccordionDetails>
    </Accordion>
  );
}
