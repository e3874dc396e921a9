import http from 'node:http';
import https from 'node:https';

export interface WebhookResponse {
  status: number;
  body: string;
}

// Kept-alive connections, as Plivo's webhook client keeps them: at hundreds of webhooks a second, a new
// connection (and fetch's stream machinery) per webhook would cost the simulator more than the calls.
// `timeout` closes idle ones before the receiver does (Node's agent honours a `Keep-Alive: timeout=N`
// hint only when it is set): a webhook written as the receiver closes the connection would be lost.
const options = { keepAlive: true, timeout: 4_000 };
const agents = { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };

/** One webhook request; rejects on a network error, on `signal`, or when no full answer came within `timeoutMs`. */
export function sendWebhook(
  url: string,
  options: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number; signal: AbortSignal; bodyLimit: number },
): Promise<WebhookResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(target, { method: options.method, headers: options.headers, agent: agents[target.protocol as keyof typeof agents], signal: options.signal });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < options.bodyLimit) chunks.push(chunk);
        size += chunk.length;
      });
      response.on('error', reject);
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, options.bodyLimit) });
      });
    });
    request.end(options.body);
  });
}
