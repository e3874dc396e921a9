// The HTTP server: routes requests to the Call API or the /__sim/ endpoints.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { handleAdminApi } from './admin-api';
import { handleCallApi } from './call-api';
import { HttpError, sendJson } from './http-util';
import { createLogger } from './logger';
import { SimulatorCore } from './simulator-core';
import { SimConfig } from './types';
import { DeliveryPolicy } from './webhook-sender';

export interface SimulatorOptions {
  logger?: Logger;
  random?: () => number;
  deliveryPolicy?: DeliveryPolicy;
}

export interface Simulator {
  readonly core: SimulatorCore;
  /** Starts listening (port 0 picks a free one) and resolves to the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Cancels every pending timer and webhook, then closes the server. */
  close(): Promise<void>;
}

export function createSimulator(config: SimConfig, options: SimulatorOptions = {}): Simulator {
  const logger = options.logger ?? createLogger(config.logLevel);
  const core = new SimulatorCore(config, { logger, random: options.random, deliveryPolicy: options.deliveryPolicy });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://simulator.local');
    try {
      if (await handleCallApi(req, res, url.pathname, core)) return;
      if (await handleAdminApi(req, res, url, core)) return;
      sendJson(res, 404, { error: 'not found' });
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) logger.error({ err: error, path: url.pathname }, 'request failed');
      if (!res.headersSent) sendJson(res, status, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));

  return {
    core,
    listen(port = config.port, host?: string) {
      return new Promise<string>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = host && host !== '0.0.0.0' && host !== '::' ? host : '127.0.0.1';
          resolve(`http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${address.port}`);
        });
      });
    },
    close() {
      core.close();
      return new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
