// fauxqs in its own process, so SQS/S3 serving does not share the event loop of the functions the
// local runtime hosts (in AWS they are separate services too). Started by sqs-s3-local.ts over
// IPC; exits when its parent goes away for any reason.
import { startFauxqs } from 'fauxqs';

const server = await startFauxqs({ port: Number(process.env.FAUXQS_PORT ?? 0), logger: false });
process.send?.({ port: server.port });
process.on('disconnect', () => {
  server.stop().finally(() => process.exit(0));
});
