/** BullMQ queue the scanner consumes; the admin API enqueues `refresh` / `refresh -rehash` here. */
export const INDEX_QUEUE = 'mirrorball-index';

/** Job name of an on-demand run (`refresh`), and of the periodic run's scheduler. */
export const INDEX_JOB = 'index';
export const INDEX_SCHEDULER_ID = 'repository-scan';

/** Payload of an index job. */
export interface IndexJobData {
  /** `refresh -rehash`: hash every file again, even unchanged ones. */
  rehash: boolean;
}
