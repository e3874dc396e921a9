import type { Server } from 'node:http';
import { DynamicModule, INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createLogger, PinoNestLogger } from '../logging/logger';

/** The deadline a service has to shut down after SIGTERM (SPEC: within 10 s). */
const SHUTDOWN_DEADLINE_MS = 9_000;
/**
 * How long an idle kept-alive connection stays open: longer than the idle timeout of the load balancers
 * and webhook clients in front (AWS ALB: 60 s). Node's default of 5 s closes connections they still
 * count on, and a request crossing that close meets a reset (a failed Plivo webhook, a 502 at the balancer).
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Boots a service: validates its configuration (refusing to start with a clear message), builds the
 * Nest application (HTTP when `httpPort` is given, otherwise a plain context) and wires SIGTERM/SIGINT
 * to a graceful shutdown with a hard deadline.
 */
export async function runService<C extends { LOG_LEVEL: string }, A extends INestApplication = NestExpressApplication>(
  name: string,
  loadConfig: () => C,
  module: (config: C) => DynamicModule,
  http?: {
    port: (config: C) => number;
    /** Builds the HTTP application; by default on Express, with no body parser (each service sets up its own). */
    create?: (module: DynamicModule, options: NestApplicationOptions) => Promise<A>;
    configure?: (app: A, config: C) => void;
  },
): Promise<void> {
  const bootLog = createLogger(name);
  let config: C;
  try {
    config = loadConfig();
  } catch (e) {
    bootLog.fatal({ err: e }, (e as Error).message);
    process.exit(1);
  }
  const logger = new PinoNestLogger(createLogger(name, config.LOG_LEVEL));
  try {
    const createHttp = http?.create ?? ((m, options) => NestFactory.create<A>(m, { ...options, bodyParser: false }));
    const app = http ? await createHttp(module(config), { logger }) : await NestFactory.createApplicationContext(module(config), { logger });
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      bootLog.info({ signal }, 'stopping');
      setTimeout(() => {
        bootLog.error('shutdown deadline passed; exiting');
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS).unref();
      void app.close().then(() => process.exit(0));
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    if (http) {
      const httpApp = app as A;
      const server = httpApp.getHttpServer() as Server;
      server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
      server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
      http.configure?.(httpApp, config);
      await httpApp.listen(http.port(config), '0.0.0.0');
    } else {
      await app.init();
    }
    bootLog.info('ready');
  } catch (e) {
    bootLog.fatal({ err: e }, 'failed to start');
    process.exit(1);
  }
}
