import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface MessagingLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs (SQS, SNS and S3 speaking the SDK v3 protocols) in a child process on `port`
 * (0 = a free one). The child exits when this process disconnects, so it is never orphaned.
 */
export async function startMessagingLocal(options: { port?: number } = {}): Promise<MessagingLocal> {
  const child = fork(fileURLToPath(new URL('./fauxqs-child.mjs', import.meta.url)), {
    env: { ...process.env, FAUXQS_PORT: String(options.port ?? 0), NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fauxqs exited with ${code} before it started`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
