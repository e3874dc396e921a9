// The simulator's own endpoints, under /__sim/: records, stats, reset, config.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError, publicConfig } from './config';
import { readBody, sendJson } from './http-util';
import { SimulatorCore } from './simulator-core';

/** Handles the request if it is a /__sim/ path; returns false otherwise. */
export async function handleAdminApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  core: SimulatorCore,
): Promise<boolean> {
  if (!url.pathname.startsWith('/__sim/')) return false;
  const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /__sim/calls': {
      const answerUrlContains = url.searchParams.get('answerUrlContains') ?? undefined;
      sendJson(res, 200, core.store.list({ answerUrlContains }));
      return true;
    }
    case 'GET /__sim/api-errors':
      sendJson(res, 200, core.store.apiErrors());
      return true;
    case 'GET /__sim/stats':
      sendJson(res, 200, core.store.stats());
      return true;
    case 'POST /__sim/reset':
      core.reset();
      sendJson(res, 200, { reset: true });
      return true;
    case 'GET /__sim/config':
      sendJson(res, 200, publicConfig(core.config));
      return true;
    case 'POST /__sim/config':
      try {
        sendJson(res, 200, publicConfig(core.configure(await readBody(req))));
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        sendJson(res, 400, { error: error.message, field: error.field });
      }
      return true;
    default:
      sendJson(res, 404, { error: `no such simulator endpoint: ${route}` });
      return true;
  }
}
