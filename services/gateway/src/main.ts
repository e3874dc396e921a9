import 'reflect-metadata';
import { Server } from 'http';
import { json } from 'express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { runService } from '@libs/nest/run-service';
import { GatewayAppModule } from './app.module';
import { loadGatewayConfig } from './config';
import { bodyParserErrors } from './http/body-parser-errors';
import { validationPipe } from './http/validation';

void runService('gateway', loadGatewayConfig, (config) => GatewayAppModule.forConfig(config), {
  port: (config) => config.GATEWAY_PORT,
  configure: (app, config) => {
    app.use(json({ limit: config.MAX_BODY_BYTES }));
    // A large CSV upload is read at the pace of its import, which can take longer than Node's 5-minute default.
    (app.getHttpServer() as Server).requestTimeout = config.UPLOAD_TIMEOUT_MS;
    app.use(bodyParserErrors);
    app.setGlobalPrefix('api/v1');
    app.useGlobalPipes(validationPipe());
    const openApi = new DocumentBuilder()
      .setTitle('Call campaigns API')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'client API key, or ADMIN_API_KEY for /clients' })
      .build();
    SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi));
  },
});
