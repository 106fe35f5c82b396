/**
 * What the deep health check reads, named after what an operator asks rather than after AWS:
 * is the table answering, how deep is the queue, is the bucket there, how far behind is the
 * stream processor. The adapters (lambdas/adapters/aws-health-probes.ts) ask DynamoDB, SQS and S3.
 */

/** Where a stream processor has got to: the newest record it handled and when it handled it. */
export interface StreamProgress {
  /** The stream processor's name (its function), e.g. `catalog-stream`. */
  stream: string;
  /** When the newest record of its last batch was written (epoch ms; see stream-record-times.ts). */
  lastRecordAt: number;
  /** When it handled that batch (epoch ms). */
  processedAt: number;
}

/** The stream processors' heartbeats: each records its progress; the health check reads it. */
export interface StreamHeartbeats {
  record(progress: StreamProgress): Promise<void>;
  read(stream: string, signal?: AbortSignal): Promise<StreamProgress | null>;
}

export interface QueueDepth {
  /** Messages waiting to be received. */
  visible: number;
  /** Received and not yet deleted or returned. */
  inFlight: number;
  /** Sent with a delay that has not passed yet. */
  delayed: number;
}

export interface DependencyProbes {
  /** Resolves when the table answers a read (of a key that need not exist). */
  tableAnswers(table: string, signal: AbortSignal): Promise<void>;
  queueDepth(queueUrl: string, signal: AbortSignal): Promise<QueueDepth>;
  /** Resolves when the bucket exists and this function may list it. */
  bucketAnswers(bucket: string, signal: AbortSignal): Promise<void>;
  heartbeats(table: string): StreamHeartbeats;
}
