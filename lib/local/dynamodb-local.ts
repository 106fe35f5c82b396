import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort, waitForPort } from './tcp-ports.js';

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

/** JVMs started by this process and not yet stopped. */
const running = new Set<number>();
let exitHookInstalled = false;

/** Last line of defence: on any exit that still runs JavaScript, kill every JVM we started. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of running) killQuietly(pid, 'SIGKILL');
  });
}

/**
 * The watchdog java runs under. It prints java's PID, then waits on its stdin, a pipe from this
 * process: when this process ends for any reason (stop(), a crash, SIGKILL) the pipe closes,
 * `read` returns and the watchdog stops java. A signal that reaches the watchdog itself stops java
 * too. The watchdog and java run in a process group of their own (`detached`): a terminal's Ctrl-C
 * goes to the foreground group, and a non-interactive shell's background job ignores SIGINT, so
 * java would survive a watchdog killed by it.
 */
const WATCHDOG =
  'java "$@" >/dev/null & pid=$!; echo "$pid"; trap \'kill $pid 2>/dev/null; exit 143\' INT TERM HUP; read -r _; kill $pid 2>/dev/null; wait $pid';

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
  const watchdog = spawn('sh', ['-c', WATCHDOG, 'sh', ...javaArgs], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  installExitHook();
  let stderr = '';
  watchdog.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let watchdogExited = false;
  const watchdogExit = new Promise<void>((resolve) =>
    watchdog.once('exit', () => {
      watchdogExited = true;
      resolve();
    }),
  );
  const javaPid = await new Promise<number>((resolve, reject) => {
    let out = '';
    watchdog.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^(\d+)\n/.exec(out);
      if (line) resolve(Number(line[1]));
    });
    watchdog.once('exit', (code) => reject(new Error(`DynamoDB Local watchdog exited with ${code}: ${stderr}`)));
  });
  running.add(javaPid);
  const stop = async () => {
    watchdog.stdin?.end();
    const timer = setTimeout(() => killQuietly(javaPid, 'SIGKILL'), 5000);
    await watchdogExit;
    clearTimeout(timer);
    // The watchdog waited for java; should it have died first anyway, java must not outlive it.
    if (isAlive(javaPid)) killQuietly(javaPid, 'SIGTERM');
    await waitForExit(javaPid, 5000);
    running.delete(javaPid);
  };
  try {
    await waitForPort(port, 60_000, () => !watchdogExited && isAlive(javaPid));
  } catch (error) {
    await stop();
    throw new Error(`DynamoDB Local failed to start on port ${port}: ${(error as Error).message}\n${stderr}`);
  }
  return { endpoint: `http://127.0.0.1:${port}`, port, stop };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Waits up to `timeoutMs` for `pid` to exit, then kills it. */
async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) killQuietly(pid, 'SIGKILL');
}
