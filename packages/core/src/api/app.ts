import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { dashboardRoutes } from '../dashboard/routes';
import { GatewayError } from '../errors';
import type { Logger } from '../logger';
import type { GatewayEnv } from './env';
import { sizeLimit } from './middleware/body-size';
import { requestLog } from './middleware/request-log';
import { safePath } from './middleware/safe-path';
import { activityRoutes } from './routes/activity';
import { campaignRoutes } from './routes/campaigns';
import { carrierRoutes } from './routes/carriers';
import { contactRoutes } from './routes/contacts';
import { documentationRoutes } from './routes/documentation';
import { keyRoutes } from './routes/keys';
import { landing, landmarksUnder } from './routes/landing';
import { numberRoutes } from './routes/numbers';
import { operatorRoutes } from './routes/operator';
import { optOutRoutes } from './routes/opt-outs';
import { privacyRoutes } from './routes/privacy';
import { reportRoutes } from './routes/reports';
import { senderIdRoutes } from './routes/sender-ids';
import { smsRoutes } from './routes/sms';
import { webhookRoutes } from './routes/webhooks';
import type { Services } from './services';

/** Renders any error as the seed envelope; unexpected ones are logged and answer INTERNAL_ERROR. */
export function errorResponse(err: Error, c: Context, log: Logger) {
  if (err instanceof GatewayError) {
    for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
    return c.json(err.toEnvelope(), err.status as 400);
  }
  if (err instanceof HTTPException && err.status < 500) {
    const e = new GatewayError('VALIDATION_ERROR', err.message || 'Bad request', [
      { field: '(request)', message: err.message || 'bad request' },
    ]);
    return c.json(e.toEnvelope(), err.status);
  }
  log.error(`${c.req.method} ${c.req.path} failed`, err, {
    request_id: c.get('requestId'),
    account_id: c.get('principal')?.accountId,
  });
  return c.json(new GatewayError('INTERNAL_ERROR', 'Something went wrong on our side').toEnvelope(), 500);
}

export const notFound = (c: Context) =>
  c.json(new GatewayError('NOT_FOUND', `No endpoint ${c.req.method} ${c.req.path}`).toEnvelope(), 404);

/** The gateway's routes, relative to its mount point (`/api/integration` by default). */
export function createApiApp(services: Services, log: Logger) {
  const app = new Hono<GatewayEnv>();
  app.use(requestLog(log));
  // Imports take a larger body (a 50,000-row CSV is a few MiB) than anything else.
  const general = sizeLimit(services.config.maxBodyBytes, { readBody: services.readBody });
  const imports = sizeLimit(services.config.contacts.maxImportBytes, { readBody: services.readBody });
  app.use((c, next) => (/\/v1\/contacts\/import\/?$/.test(c.req.path) ? imports : general)(c, next));
  app.use(safePath());
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) => {
        // HEAD is answered wherever GET is; Allow names the methods a client would choose between.
        const allowed = methods.filter((m) => m !== 'HEAD');
        const e = new GatewayError(
          'METHOD_NOT_ALLOWED',
          `${c.req.method} is not allowed here; use ${allowed.join(' or ')}`,
          { allowed },
          { Allow: allowed.join(', ') },
        );
        return e.getResponse();
      },
    }),
  );
  const routed = app
    .route('/', smsRoutes(services))
    .route('/', contactRoutes(services))
    .route('/', keyRoutes(services))
    .route('/', numberRoutes(services))
    .route('/', carrierRoutes(services))
    .route('/', webhookRoutes(services))
    .route('/', activityRoutes(services))
    .route('/', campaignRoutes(services))
    .route('/', optOutRoutes(services))
    .route('/', senderIdRoutes(services))
    .route('/', reportRoutes(services))
    .route('/', privacyRoutes(services))
    .route('/', documentationRoutes());
  app.route('/', operatorRoutes(services));
  if (services.config.dashboard.enabled) app.route('/', dashboardRoutes(services));
  // The mount point itself: where to go next. A sub-app's `/` is its mount point without the slash;
  // the empty last segment is the same point with it.
  app.on('GET', ['/', '/:mount{^$}'], (c) =>
    landing(c, landmarksUnder(c.req.path.replace(/\/$/, ''), services.config.dashboard.enabled)),
  );
  app.all('*', notFound);
  app.onError((err, c) => errorResponse(err, c, log));
  return routed;
}
