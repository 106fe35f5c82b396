import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface MessagingEmulator {
  /** SQS and S3 endpoint (fauxqs serves both on one port). */
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs (SQS, SNS and S3 speaking the SDK v3 protocols) in a child process on `port`
 * (0 = a free one). The child lives exactly as long as its IPC channel to this process: it runs in
 * its own process group, so a terminal's Ctrl-C (SIGINT to the foreground group) reaches only this
 * process, which stops it in order; and it exits by itself when this process goes away for any
 * reason, SIGKILL included, because the channel closes.
 */
export async function startMessagingEmulator(options: { port?: number } = {}): Promise<MessagingEmulator> {
  const child = fork(fileURLToPath(new URL('./fauxqs-child.mjs', import.meta.url)), {
    env: { ...process.env, FAUXQS_PORT: String(options.port ?? 0), NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    detached: true,
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
