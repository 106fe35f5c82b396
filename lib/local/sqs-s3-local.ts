import { startFauxqs } from 'fauxqs';

export interface MessagingLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts fauxqs (SQS, SNS and S3 speaking the SDK v3 protocols) on `port` (0 = a free one). */
export async function startMessagingLocal(options: { port?: number } = {}): Promise<MessagingLocal> {
  const server = await startFauxqs({ port: options.port ?? 0, logger: false });
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    port: server.port,
    stop: () => server.stop(),
  };
}
