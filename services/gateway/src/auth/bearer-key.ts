import { createHash } from 'crypto';
import { Request } from 'express';

/** The API key of `Authorization: Bearer <apiKey>`, if the request sends one. */
export function bearerKey(req: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
}

/** How a key is known without keeping it: its SHA-256 (the only form of a client key stored). */
export function hashOfKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
