import { S3Client } from '@aws-sdk/client-s3';
import { awsRegion } from './clients.js';
import { optionalEnv } from './env.js';

let s3: S3Client | undefined;

/** S3 client (path-style addressing when an endpoint override points at an emulator). */
export function s3Client(): S3Client {
  s3 ??= new S3Client({
    region: awsRegion,
    forcePathStyle: optionalEnv('AWS_ENDPOINT_URL_S3') !== undefined || optionalEnv('AWS_ENDPOINT_URL') !== undefined,
  });
  return s3;
}
