/** The reply of every command and query sent over NATS request/reply. */
export type RpcResult<T> = { ok: true; data: T } | { ok: false; error: RpcError };

/** Same shape as the REST error body, so the gateway passes it through unchanged. */
export interface RpcError {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function rpcError(statusCode: number, message: string, details?: unknown): RpcError {
  return { statusCode, error: STATUS_NAMES[statusCode] ?? 'Error', message, ...(details === undefined ? {} : { details }) };
}
