// fauxqs in its own process, so SQS/S3 serving does not share the event loop of the functions the
// local runtime hosts (in AWS they are separate services too). Started by messaging-emulator.ts
// over IPC; exits when its parent goes away for any reason (the IPC channel closes).
import { startFauxqs } from 'fauxqs';

const server = await startFauxqs({ port: Number(process.env.FAUXQS_PORT ?? 0), logger: false });
process.send?.({ port: server.port });
process.on('disconnect', () => {
  // A stop that hangs must not keep the process alive past its parent.
  setTimeout(() => process.exit(0), 2000).unref();
  server.stop().finally(() => process.exit(0));
});
