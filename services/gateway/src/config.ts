import { z } from 'zod';
import { loadConfig, natsEnv } from '@libs/config/env';

export const gatewayConfigShape = {
  ...natsEnv,
  GATEWAY_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  ADMIN_API_KEY: z.string().min(12, 'must be at least 12 characters'),
  /** Largest JSON request body; larger requests get 413. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  /** Largest CSV upload (text/csv body or multipart file); larger uploads get 413. */
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(256 * 1024 * 1024),
  /** How long one request (e.g. a large upload, read at the pace of the import) may take. */
  UPLOAD_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(60 * 60 * 1000),
  /** Contacts of an upload are sent on in chunks of at most this many rows and JSON bytes. */
  IMPORT_CHUNK_ROWS: z.coerce.number().int().min(1).max(500).default(500),
  IMPORT_CHUNK_BYTES: z.coerce.number().int().min(4096).max(768 * 1024).default(256 * 1024),
  /** A single contact (row) larger than this is rejected. */
  MAX_ROW_BYTES: z.coerce.number().int().min(256).default(32 * 1024),
  /** Rejected rows listed in an upload's answer; `rejectedCount` counts them all. */
  LISTED_REJECTIONS: z.coerce.number().int().min(0).default(1000),
  /** How long a service may take to answer a command or query. */
  RPC_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** Requests per API key (or per IP address without one) and minute, on each gateway instance; more get 429. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  /** How long creating a campaign from a list (which copies the list's contacts first) may take. */
  LIST_COPY_TIMEOUT_MS: z.coerce.number().int().min(100).default(10 * 60 * 1000),
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(gatewayConfigShape, env);
