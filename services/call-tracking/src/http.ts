import { DynamicModule, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { TrackingMetrics } from './metrics/tracking-metrics';

/** Plivo's callbacks are small forms; anything larger is refused (413) before it is read. */
const BODY_LIMIT_BYTES = 64 * 1024;
const WEBHOOK_KINDS = new Set(['answer', 'ring', 'machine', 'hangup']);

/**
 * The tracking app runs on Fastify, not Express: it answers three to four webhooks per call, and in a
 * minimal Nest app with this guard and a form body Fastify took about half the server CPU per request.
 * Nest's Fastify adapter parses the form (application/x-www-form-urlencoded) into one string per name.
 */
export function createTrackingApp(module: DynamicModule, options: NestApplicationOptions = {}): Promise<NestFastifyApplication> {
  return NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }), options);
}

/** HTTP set-up of the tracking app, shared by main.ts and the in-process tests. */
export function configureTrackingHttp(app: NestFastifyApplication): void {
  const metrics = app.get(TrackingMetrics);
  // Every webhook request is timed, refused ones included, from arrival to the last byte of the answer.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', async (request, reply) => {
      const path = request.url.split('?')[0];
      if (!path.startsWith('/plivo/')) return;
      const last = path.slice(path.lastIndexOf('/') + 1);
      metrics.webhookAnswered(WEBHOOK_KINDS.has(last) ? last : 'other', reply.statusCode, reply.elapsedTime / 1000);
    });
}
