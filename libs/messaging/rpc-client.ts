import { NatsConnection } from 'nats';
import { decodeJson } from '../event-store/codec';
import { rpcError, RpcResult } from './rpc-result';

const encoder = new TextEncoder();

/** Sends a command or query and returns the service's reply; no responder or a timeout become 503. */
export async function rpcRequest<Res>(nc: NatsConnection, subject: string, payload: unknown, timeoutMs = 10_000): Promise<RpcResult<Res>> {
  try {
    const msg = await nc.request(subject, encoder.encode(JSON.stringify(payload)), { timeout: timeoutMs });
    return decodeJson<RpcResult<Res>>(msg.data);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const what = code === '503' ? 'no instance is available' : 'did not answer in time';
    return { ok: false, error: rpcError(503, `service behind ${subject} ${what}`) };
  }
}
