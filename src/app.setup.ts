import { Logger as NestLogger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from 'src/config/app.config';
import { AllExceptionsFilter, sendError } from 'src/common/filters/all-exceptions.filter';
import { requestIdMiddleware } from 'src/common/http/request-id';
import { createValidationPipe } from 'src/common/http/validation';
import { MetricsRegistry } from 'src/common/metrics/metrics.module';

export const API_PREFIX = 'api/v1';
export const JSON_BODY_LIMIT = '1mb';

/** Everything HTTP-wide, shared by `npm start`, `start:api` and the e2e tests. */
export function configureHttpApp(app: NestExpressApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use(app.get(MetricsRegistry).middleware());
  // The JSON API needs no inline content; Swagger UI and bull-board do, so they get a looser policy.
  const strict = helmet();
  const relaxed = helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
  app.use((req: Parameters<typeof strict>[0], res: Parameters<typeof strict>[1], next: () => void) =>
    /^\/(docs|admin)/.test(req.url ?? '') ? relaxed(req, res, next) : strict(req, res, next),
  );
  app.enableCors({ origin: config.corsOrigins, exposedHeaders: ['X-Request-Id', 'Location', 'Retry-After'] });
  useJsonBodies(app);
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  setupSwagger(app);
}

/** Parses JSON bodies up to 1 MiB; parse and size errors answer in the contract's shape. */
function useJsonBodies(app: NestExpressApplication): void {
  const parse = json({ limit: JSON_BODY_LIMIT });
  const logger = new NestLogger('HttpBody');
  app.use((req: Parameters<typeof parse>[0], res: Parameters<typeof parse>[1], next: () => void) =>
    parse(req, res, (error?: unknown) => (error ? sendError(error, req as never, res as never, logger) : next())),
  );
}

function setupSwagger(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Reelsmith API')
      .setDescription('AI short-video studio: scripts, voices, assets, projects and renders as background tasks.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { operationIdFactory: (_controller, method) => method },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
