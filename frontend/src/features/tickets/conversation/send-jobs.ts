import type { AttachmentInput } from '../data/functions-api';

/**
 * Unconfirmed sends, by client_id. Module-level so "Retry" still works after the dialog was
 * closed and reopened; uploads already done are reused so a retry re-sends, never re-uploads.
 */
export interface SendJob {
  clientId: string;
  ticketId: string;
  content: string;
  files: readonly File[];
  uploaded?: AttachmentInput[];
}

const jobs = new Map<string, SendJob>();

export const sendJobs = {
  get: (clientId: string) => jobs.get(clientId),
  put: (job: SendJob) => void jobs.set(job.clientId, job),
  done: (clientId: string) => void jobs.delete(clientId),
};
