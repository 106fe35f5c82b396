import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort, waitForPort } from './ports.js';

export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
  constructor() {
    super(
      [
        'Java was not found on PATH. The local runtime runs DynamoDB Local (the AWS jar), which needs Java 17 or newer.',
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless',
        '  macOS:         brew install openjdk@17',
        'Alternatively, with Docker: docker compose up -d && npm run deploy:local (LocalStack; see README).',
      ].join('\n'),
    );
  }
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** Locates the DynamoDB Local jar shipped inside the `amplify-dynamodb-simulator` npm package. */
export function dynamoDbLocalJarDir(): string {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  if (!existsSync(path.join(dir, 'DynamoDBLocal.jar'))) throw new Error(`DynamoDBLocal.jar not found in ${dir}`);
  return dir;
}

export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new JavaMissingError();
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last line of defence against orphans: kill every jar we started when this process exits. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/**
 * Starts DynamoDB Local in memory (with Streams) on `port` (0 = a free one) and waits until it
 * accepts connections.
 */
export async function startDynamoDbLocal(options: { port?: number } = {}): Promise<DynamoDbLocal> {
  assertJava();
  const dir = dynamoDbLocalJarDir();
  const port = options.port || (await freePort());
  const javaArgs = [
    `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
    '-Xms64m',
    '-Xmx1g',
    '-jar',
    'DynamoDBLocal.jar',
    '-inMemory',
    '-port',
    String(port),
  ];
  // Watchdog: java runs under sh, which waits on our stdin pipe. When this Node process ends for
  // any reason (Ctrl-C, SIGTERM, SIGKILL, crash) the pipe closes, `read` returns, and sh kills
  // java, so no orphan JVM is ever left holding the port.
  const child = spawn('sh', ['-c', 'java "$@" & pid=$!; read -r _; kill $pid 2>/dev/null; wait $pid', 'sh', ...javaArgs], {
    cwd: dir,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  running.add(child);
  installExitHook();
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      running.delete(child);
      resolve();
    }),
  );
  try {
    await waitForPort(port, 30_000, () => !exited);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`DynamoDB Local failed to start on port ${port}: ${(error as Error).message}\n${stderr}`);
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      if (exited) return;
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}
