import { z } from 'zod';
import { MAX_JSON_DEPTH } from '../../domain/json-text';
import { ERROR_DETAILS } from '../../error-details';
import { ERROR_CODES, ERROR_MEANINGS, type ErrorCode } from '../../errors';
import { type CsvAnswer, OPERATIONS, type Operation } from './operations';
import { receivedPayload, statusPayload } from './responses';

type JsonSchema = Record<string, unknown>;

/** The JSON Schema of a zod schema as a request is read (before defaults and transforms). */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Codes every route can answer, by the kind of route (any route refuses a bad path or query parameter). */
function commonErrors(op: Operation): ErrorCode[] {
  const codes: ErrorCode[] = ['INVALID_CREDENTIALS', 'VALIDATION_ERROR', 'INTERNAL_ERROR'];
  if (op.auth !== 'callback' && op.auth !== 'operator') codes.push('PERMISSION_DENIED');
  codes.push('RATE_LIMIT_EXCEEDED');
  if (op.body) codes.push('INVALID_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE');
  return codes;
}

/** The component schema of an error with `code`: the envelope with its error_code and its details. */
const errorRef = (code: ErrorCode) => ({ $ref: `#/components/schemas/Error_${code}` });

const envelope = (data: JsonSchema, message: string) => ({
  type: 'object',
  required: ['success', 'message', 'data', 'error_code', 'details'],
  additionalProperties: false,
  properties: {
    success: { const: true, description: 'Always true on success' },
    message: { type: 'string', examples: [message], description: 'What was done, in a sentence' },
    data: { description: 'What the endpoint answers', ...data },
    error_code: { type: 'null', description: 'Always null on success' },
    details: { type: 'null', description: 'Always null on success' },
  },
});

/** A CSV download: the file, its name, and (`x-csv-columns`) each column in order with what it holds. */
const csvResponse = (csv: CsvAnswer) => ({
  description: `A CSV file (RFC 4180, UTF-8, CRLF line ends) with a header row, streamed as a download: ${csv.filename}`,
  headers: {
    'Content-Disposition': {
      description: `\`attachment; filename="${csv.filename}"\``,
      schema: { type: 'string' },
    },
  },
  content: {
    'text/csv': {
      schema: {
        type: 'string',
        description: `Columns: ${Object.keys(csv.columns).join(', ')}`,
      },
      example: `${Object.keys(csv.columns).join(',')}\r\n`,
      'x-csv-columns': Object.entries(csv.columns).map(([name, description]) => ({ name, description })),
    },
  },
});

function operation(op: Operation, id: string) {
  const codes = [...new Set([...commonErrors(op), ...op.errors])];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes)
    byStatus.set(ERROR_CODES[code], [...(byStatus.get(ERROR_CODES[code]) ?? []), code]);
  const query = op.query ? schemaOf(op.query, 'input') : null;
  const parameters = [
    ...Object.entries(op.params ?? {}).map(([name, description]) => ({
      name,
      in: 'path',
      required: true,
      description,
      schema: { type: 'string' },
    })),
    ...Object.entries((query?.properties ?? {}) as Record<string, JsonSchema>).map(([name, schema]) => ({
      name,
      in: 'query',
      required: ((query?.required as string[] | undefined) ?? []).includes(name),
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
      schema,
    })),
    ...Object.entries(op.headers ?? {}).map(([name, description]) => ({
      name,
      in: 'header',
      required: false,
      description,
      schema: { type: 'string' },
    })),
  ];
  return {
    operationId: id,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    security:
      op.auth === 'callback'
        ? [{ callbackToken: [] }, { callbackTokenQuery: [] }]
        : op.auth === 'operator'
          ? [{ operatorKey: [] }]
          : [{ apiKey: [] }, { apiKeyHeader: [] }],
    ...(op.auth === 'callback' || op.auth === 'operator' ? {} : { 'x-permission': op.auth }),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: op.bodyRequired !== false,
            content: {
              'application/json': {
                schema: schemaOf(op.body, 'input'),
                ...(op.example === undefined ? {} : { example: op.example }),
              },
              ...(op.csvExample === undefined
                ? {}
                : { 'text/csv': { schema: { type: 'string' }, example: op.csvExample } }),
            },
          },
        }
      : {}),
    responses: {
      [String(op.status)]: op.csv
        ? csvResponse(op.csv)
        : {
            description: op.message,
            content: { 'application/json': { schema: envelope(schemaOf(op.data, 'output'), op.message) } },
          },
      ...Object.fromEntries(
        [...byStatus].map(([status, list]) => [
          String(status),
          {
            description: list.join(', '),
            content: {
              'application/json': {
                schema:
                  list.length === 1
                    ? errorRef(list[0]!)
                    : {
                        oneOf: list.map(errorRef),
                        discriminator: {
                          propertyName: 'error_code',
                          mapping: Object.fromEntries(list.map((code) => [code, errorRef(code).$ref])),
                        },
                      },
              },
            },
          },
        ]),
      ),
    },
  };
}

/** A webhook the gateway POSTs: its JSON body; the receiver answers 2xx (410 stops them). */
function webhookOperation(summary: string, description: string, body: z.ZodType) {
  return {
    post: {
      summary,
      description,
      requestBody: { required: true, content: { 'application/json': { schema: schemaOf(body, 'output') } } },
      responses: { '200': { description: 'Received (any 2xx); anything else is retried, a 410 stops them' } },
    },
  };
}

const operationId = (op: Operation) =>
  op.method +
  op.path
    .split(/[/{}-]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/**
 * The OpenAPI 3.1 document of the API, built from the zod schemas that validate requests (and those
 * of each response's `data`): every operation, parameter and schema, every error code with its HTTP
 * status, the security schemes and the seed's examples.
 */
export function openApiDocument(options: { serverUrl?: string } = {}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const methods = paths[op.path] ?? {};
    methods[op.method] = operation(op, operationId(op));
    paths[op.path] = methods;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Mifumo SMS integration API',
      version: '1.0.0',
      description: `Every response is the envelope \`{ success, message, data, error_code, details }\`. Paths answer with and without their trailing slash. Request bodies are JSON, and unknown fields are refused by name. Limits on a request: a body of at most \`maxBodyBytes\` (1 MiB by default; an import \`contacts.maxImportBytes\`, 16 MiB), else 413 PAYLOAD_TOO_LARGE; JSON nested at most ${MAX_JSON_DEPTH} levels deep (objects and arrays together), else 400 VALIDATION_ERROR before the body is parsed; an import of at most \`contacts.maxImportRows\` rows (50,000), read no further than the first row past it, which refuses it with 400 VALIDATION_ERROR. Rate limits (per account, by default): 100 SMS per minute, 1000 API calls per hour, 500 contact operations per hour; a refusal is 429 RATE_LIMIT_EXCEEDED with Retry-After, and every authenticated answer carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset.`,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: options.serverUrl ?? '/api/integration' }],
    tags: [
      'SMS',
      'Contacts',
      'Opt-outs',
      'Sender IDs',
      'Campaigns',
      'Reports',
      'API keys',
      'Webhooks',
      'Activity',
      'Privacy',
      'Carriers',
      'Operator',
    ].map((name) => ({
      name,
    })),
    paths,
    webhooks: {
      'message.status': webhookOperation(
        'A recipient’s status change',
        'POSTed to the send’s `webhook_url`, else the account’s URL, on each recipient’s change to sent, delivered, failed or expired; with `Authorization: Bearer <the sending key>` when the account’s bearer_auth is on, and signed (`X-Mifumo-Event-Id`, `X-Mifumo-Timestamp`, `X-Mifumo-Signature`).',
        statusPayload,
      ),
      'message.received': webhookOperation(
        'A message a subscriber sent in',
        'POSTed to the number’s `webhook_url`, else the account’s URL, for each message that came in on one of the account’s numbers (and keywords); signed like status events, with no Bearer header (no key sent it).',
        receivedPayload,
      ),
    },
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: '`Authorization: Bearer <API key>`; keys hold `read`, `write` and/or `admin`',
        },
        apiKeyHeader: {
          type: 'apiKey',
          in: 'header',
          name: 'X-API-Key',
          description: 'The API key, as an alternative to Bearer',
        },
        callbackToken: { type: 'http', scheme: 'bearer', description: 'The carrier’s `callbackToken`' },
        operatorKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'The gateway’s operator key (`MIFUMO_OPERATOR_KEY`), not an API key',
        },
        callbackTokenQuery: {
          type: 'apiKey',
          in: 'query',
          name: 'token',
          description: 'The carrier’s `callbackToken`',
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['success', 'message', 'data', 'error_code', 'details'],
          properties: {
            success: { const: false, description: 'Always false on an error' },
            message: { type: 'string', description: 'What went wrong, in a sentence for people' },
            data: { type: 'null', description: 'Always null on an error' },
            error_code: {
              type: 'string',
              enum: Object.keys(ERROR_CODES),
              description: 'What went wrong, as a stable code to branch on',
            },
            details: { description: 'What was wrong, in the shape its error_code documents' },
          },
        },
        ...Object.fromEntries(
          (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => [
            `Error_${code}`,
            {
              description: ERROR_MEANINGS[code],
              allOf: [{ $ref: '#/components/schemas/Error' }],
              properties: {
                error_code: { const: code, description: `Always ${code}` },
                details: schemaOf(ERROR_DETAILS[code], 'output'),
              },
            },
          ]),
        ),
        ErrorCodes: {
          description: 'Every error code and its HTTP status',
          type: 'object',
          properties: Object.fromEntries(
            (Object.entries(ERROR_CODES) as [ErrorCode, number][]).map(([code, status]) => [
              code,
              { const: status, description: ERROR_MEANINGS[code] },
            ]),
          ),
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
