import { createHash } from 'crypto';
import {
  CallHandler,
  ConflictException,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  OnModuleInit,
  UnprocessableEntityException,
} from '@nestjs/common';
import { Response } from 'express';
import { KV, StorageType } from 'nats';
import { from, lastValueFrom, Observable } from 'rxjs';
import { decodeJson } from '@libs/event-store/codec';
import { isKvConflict } from '@libs/nats/kv';
import { NatsContext } from '@libs/nats/nats-context';
import { NATS } from '@libs/nest/tokens';
import { AuthenticatedRequest } from './request-context';

type Stored = { bodyHash: string; state: 'pending' } | { bodyHash: string; state: 'done'; status: number; body: unknown };

const TTL_MS = 24 * 60 * 60 * 1000;
const WAIT_FOR_PENDING_MS = 15_000;
const encoder = new TextEncoder();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** What an answer shows once (a new client's API key) is not kept for its replays. */
const replayable = (body: unknown) => (body && typeof body === 'object' && 'apiKey' in body ? { ...body, apiKey: undefined } : body);

/**
 * `Idempotency-Key` on a POST: the first successful request with a key is applied and its answer kept
 * for 24 h (JetStream KV, shared by every gateway instance); a repeat with the same body gets that
 * answer again without being applied (without a new client's API key, which is shown once), concurrent
 * repeats wait for the first, and the same key with another body is refused (422). A failed request
 * forgets its key; a create sent again with it (e.g. after a timeout whose command was applied after
 * all) finds what it created, since the command id, and from it the new aggregate's id, come from the key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor, OnModuleInit {
  private kv!: KV;

  constructor(@Inject(NATS) private readonly nats: NatsContext) {}

  async onModuleInit() {
    this.kv = await this.nats.js.views.kv(this.nats.subjects.buckets.idempotency, { history: 1, ttl: TTL_MS, storage: StorageType.File });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = req.header('idempotency-key');
    if (req.method !== 'POST' || !header) return next.handle();
    const key = sha256(`${req.clientId ?? 'admin'}|${req.path}|${header}`);
    const bodyHash = sha256(JSON.stringify(req.body ?? null));
    const res = context.switchToHttp().getResponse<Response>();
    return from(this.apply(key, bodyHash, res, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }

  private async apply(key: string, bodyHash: string, res: Response, run: () => Promise<unknown>): Promise<unknown> {
    const deadline = Date.now() + WAIT_FOR_PENDING_MS;
    for (;;) {
      const entry = await this.kv.get(key);
      if (!entry || entry.operation !== 'PUT') {
        try {
          await this.kv.create(key, encoder.encode(JSON.stringify({ bodyHash, state: 'pending' } satisfies Stored)));
        } catch (e) {
          if (isKvConflict(e)) continue; // another request with this key got there first
          throw e;
        }
        return this.runOnce(key, bodyHash, res, run);
      }
      const stored = decodeJson<Stored>(entry.value);
      if (stored.bodyHash !== bodyHash) throw new UnprocessableEntityException('Idempotency-Key was already used with a different request body');
      if (stored.state === 'done') {
        res.status(stored.status).setHeader('idempotent-replayed', 'true');
        return stored.body;
      }
      if (Date.now() > deadline) throw new ConflictException('a request with this Idempotency-Key is still in progress');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async runOnce(key: string, bodyHash: string, res: Response, run: () => Promise<unknown>): Promise<unknown> {
    try {
      const body = await run();
      await this.kv.put(key, encoder.encode(JSON.stringify({ bodyHash, state: 'done', status: res.statusCode, body: replayable(body) } satisfies Stored)));
      return body;
    } catch (e) {
      // A refused or failed command changed nothing: forget the key so that a retry is judged afresh.
      await this.kv.delete(key);
      throw e;
    }
  }
}
