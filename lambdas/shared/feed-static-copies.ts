/** The S3 writer for static copies (only the functions that write them bundle the S3 client). */
import { S3StaticCopies } from '../adapters/s3-static-copies.js';
import { requireEnv } from './env.js';
import { staticBaseUrl } from './feeds.js';
import { s3Client } from './s3-client.js';

export const staticCopies = new S3StaticCopies(s3Client(), requireEnv('FEEDS_BUCKET'), staticBaseUrl);
