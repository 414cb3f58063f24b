/**
 * A worker thread of the statement-accepting pool (accept-pool.ts): judges each submission it
 * is sent against the trust it was started with, and answers by the job's id.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isNospyError } from '../../errors/nospy-error.js';
import { trustFromTransfer } from '../../statements/trust-transfer.js';
import type { AcceptJob, AcceptReply, AcceptWorkerData } from './accept-protocol.js';
import { acceptSubmission } from './accept-submission.js';

const port = parentPort;
if (port === null) throw new Error('accept-worker.ts runs as a worker thread');
const trust = trustFromTransfer((workerData as AcceptWorkerData).trust);

port.on('message', (job: AcceptJob) => {
  let reply: AcceptReply;
  try {
    reply = { id: job.id, accepted: acceptSubmission(job.body, trust, new Date(job.now)) };
  } catch (error) {
    reply = isNospyError(error)
      ? {
          id: job.id,
          refused: {
            name: error.name,
            code: error.code,
            message: error.message,
            where: error.where,
          },
        }
      : {
          id: job.id,
          failed: error instanceof Error ? (error.stack ?? error.message) : String(error),
        };
  }
  port.postMessage(reply);
});
