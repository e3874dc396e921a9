import { NestExpressApplication } from '@nestjs/platform-express';
import { urlencoded } from 'express';

/** HTTP set-up of the tracking app, shared by main.ts and the in-process tests. */
export function configureTrackingHttp(app: NestExpressApplication): void {
  // Plivo posts application/x-www-form-urlencoded; keep values as strings for the signature check.
  app.use(urlencoded({ extended: false, limit: '64kb' }));
}
