/** One JSON log line a hosted function wrote (Powertools Logger: `service` names the function). */
export type LogLine = Record<string, unknown> & { service?: string; message?: string };

/**
 * Captures the log lines the local runtime's functions write. They run in this process and
 * Powertools Logger writes one JSON document per line to stdout, so the tap tees
 * process.stdout.write: everything still reaches the terminal, and every JSON line is kept.
 */
export function captureFunctionLogs() {
  const lines: LogLine[] = [];
  const write = process.stdout.write;
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    for (const line of String(chunk).split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        // A partial or foreign line: not a function's log document.
      }
    }
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof process.stdout.write;
  return {
    lines,
    /** The first line `match` accepts, waiting for it up to `timeoutMs`. */
    async waitFor(match: (line: LogLine) => boolean, timeoutMs = 60_000): Promise<LogLine> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching log line within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop(): void {
      process.stdout.write = write;
    },
  };
}
