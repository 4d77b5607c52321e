/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import { VERIFY_JS, VERIFY_PYTHON } from '../../webhooks/verify-snippets';
import type { OpenApiDocument } from './document';
import { descriptionOf, type FieldRow, fieldRows, type JsonSchema } from './fields';
import { type CsvAnswer, OPERATIONS, type Operation } from './operations';

/** Long lines (curl, JSON, code) wrap inside their box; wide tables scroll inside theirs. */
export const STYLE = `
body{font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:76rem;margin:0 auto;padding:1rem 1.25rem 4rem}
nav{background:#f4f6f8;border-radius:.5rem;padding:.5rem 1rem;margin:1rem 0}
nav ul{margin:.25rem 0;padding-left:1.25rem}
h1{font-size:1.8rem}h2{margin-top:2.5rem;border-bottom:1px solid #d8dee4;padding-bottom:.25rem}
h3{margin-top:2.5rem;font-size:1.15rem;overflow-wrap:anywhere}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
code{overflow-wrap:break-word}
pre{background:#f4f6f8;padding:.75rem;border-radius:.4rem;max-width:100%;box-sizing:border-box;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere}
.scroll{max-width:100%;overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;border-bottom:1px solid #e4e8ec;padding:.3rem .4rem;vertical-align:top}
caption{text-align:left;font-weight:600;padding:.25rem 0}
td.type{white-space:nowrap}
.fields td:first-child{white-space:nowrap}
.fields td:last-child{min-width:16rem}
.method{display:inline-block;min-width:4.2rem;font-weight:700;color:#0b5cad}
.perm,.note{font-size:.9em;color:#57606a}
details summary{cursor:pointer;color:#0b5cad}
a{color:#0b5cad}a:focus{outline:2px solid #0b5cad}
`;

/** What the page reads of an operation in the OpenAPI document. */
interface Described {
  parameters?: { name: string; in: string; required: boolean; description?: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: { 'application/json'?: { schema: Reference & JsonSchema } } }>;
}
type Reference = { $ref?: string; oneOf?: Reference[] };

const anchor = (op: Operation) =>
  `${op.method}-${op.path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`;

/** The example request of an operation, as curl. */
function curl(op: Operation, base: string): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_, p: string) => `<${p}>`);
  const auth =
    op.auth === 'callback'
      ? '"?token=$CALLBACK_TOKEN"'
      : `-H "Authorization: Bearer ${op.auth === 'operator' ? '$MIFUMO_OPERATOR_KEY' : '$MIFUMO_API_KEY'}"`;
  const lines = [`curl -X ${op.method.toUpperCase()} ${op.auth === 'callback' ? '' : `${auth} `}\\`];
  if (op.example !== undefined)
    lines.push(`  -H 'Content-Type: application/json' -d '${JSON.stringify(op.example)}' \\`);
  if (op.csv) lines.push(`  -o ${op.csv.filename.replace(/_<from>_<to>/, '')} \\`);
  const url = `${base}${path}${op.auth === 'callback' ? '?token=$CALLBACK_TOKEN' : ''}`;
  lines.push(op.exampleQuery ? `  "${url}?${op.exampleQuery}"` : `  ${url}`);
  return lines.join('\n');
}

/** A JSON Schema's outline as a reader scans it: `{ phones, encoding }`, `[{ field, message }]`, `null`. */
function outline(schema: JsonSchema): string {
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return [...new Set(options.map(outline))].join(' | ');
  if (schema.type === 'array' && schema.items) return `[${outline(schema.items)}]`;
  if (schema.properties) return `{ ${Object.keys(schema.properties).join(', ')} }`;
  return typeof schema.type === 'string' ? schema.type : 'any';
}

/** The parameters in one place (path, query, header) as the fields of one object. */
function parameterRows(described: Described, where: string): FieldRow[] {
  const parameters = (described.parameters ?? []).filter((p) => p.in === where);
  return fieldRows({
    properties: Object.fromEntries(
      parameters.map((p) => [p.name, { ...p.schema, description: p.description ?? descriptionOf(p.schema) }]),
    ),
    required: parameters.filter((p) => p.required).map((p) => p.name),
  });
}

/** The error codes an operation answers, by HTTP status, as its responses name them. */
function errorsOf(described: Described): { status: string; code: string }[] {
  const codes = (r: Reference): string[] =>
    r.oneOf ? r.oneOf.flatMap(codes) : r.$ref ? [r.$ref.replace('#/components/schemas/Error_', '')] : [];
  return Object.entries(described.responses)
    .filter(([status]) => Number(status) >= 400)
    .flatMap(([status, r]) =>
      codes(r.content?.['application/json']?.schema ?? {}).map((code) => ({ status, code })),
    );
}

/** Text with `code` in backticks, as the schemas' descriptions write it. */
const Inline: FC<{ text: string }> = ({ text }) => (
  <>{text.split('`').map((part, i) => (i % 2 === 1 ? <code>{part}</code> : part))}</>
);

const FieldTable: FC<{ caption: string; rows: FieldRow[]; note?: string }> = ({ caption, rows, note }) => {
  if (rows.length === 0) return null;
  return (
    <div class="scroll">
      <table class="fields">
        <caption>
          {caption}
          {note ? (
            <span class="note">
              {' '}
              — <Inline text={note} />
            </span>
          ) : null}
        </caption>
        <thead>
          <tr>
            <th scope="col">field</th>
            <th scope="col">type</th>
            <th scope="col">required</th>
            <th scope="col">default</th>
            <th scope="col">allowed values, format</th>
            <th scope="col">description</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>
                <code>{r.name}</code>
              </td>
              <td class="type">{r.type}</td>
              <td>{r.required ? 'yes' : 'no'}</td>
              <td>{r.default === null ? '' : <code>{r.default}</code>}</td>
              <td>
                {r.rules.map((rule, i) => (
                  <>
                    {i > 0 ? '; ' : ''}
                    <Inline text={rule} />
                  </>
                ))}
              </td>
              <td>
                <Inline text={r.description} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

/** A CSV download: how it is answered, and each column in order with what it holds. */
const CsvColumns: FC<{ csv: CsvAnswer; status: number }> = ({ csv, status }) => (
  <>
    <p>
      Answers {status} with a CSV file (<code>text/csv; charset=utf-8</code>,{' '}
      <code>{`Content-Disposition: attachment; filename="${csv.filename}"`}</code>), with these columns:
    </p>
    <div class="scroll">
      <table class="fields">
        <thead>
          <tr>
            <th scope="col">column</th>
            <th scope="col">holds</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(csv.columns).map(([name, holds]) => (
            <tr>
              <td>
                <code>{name}</code>
              </td>
              <td>
                <Inline text={holds} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  </>
);

const Endpoint: FC<{ op: Operation; described: Described; base: string }> = ({ op, described, base }) => {
  const json = described.requestBody?.content['application/json'];
  const answer = described.responses[String(op.status)]?.content?.['application/json']?.schema;
  const data = answer?.properties?.data;
  return (
    <section id={anchor(op)}>
      <h3>
        <span class="method">{op.method.toUpperCase()}</span> <code>{op.path}</code>
      </h3>
      <p>
        <strong>{op.summary}.</strong> <Inline text={op.description ?? ''} />{' '}
        <span class="perm">
          {op.auth === 'callback'
            ? 'Authenticated by the carrier’s callback token.'
            : op.auth === 'operator'
              ? 'Authenticated by the gateway’s operator key (MIFUMO_OPERATOR_KEY).'
              : `Needs the ${op.auth} permission.`}
        </span>
      </p>
      <FieldTable caption="Path parameters" rows={parameterRows(described, 'path')} />
      <FieldTable caption="Query parameters" rows={parameterRows(described, 'query')} />
      <FieldTable caption="Headers" rows={parameterRows(described, 'header')} />
      {json ? (
        <FieldTable
          caption={`Body (JSON${op.bodyRequired === false ? ', optional' : ''})`}
          rows={fieldRows(json.schema)}
          note={json.schema.type === 'array' ? `an array: ${descriptionOf(json.schema)}` : undefined}
        />
      ) : null}
      {op.csvExample === undefined ? null : (
        <p>
          Or CSV (<code>Content-Type: text/csv</code>), for example:
        </p>
      )}
      {op.csvExample === undefined ? null : (
        <pre>
          <code>{op.csvExample}</code>
        </pre>
      )}
      <pre>
        <code>{curl(op, base)}</code>
      </pre>
      {op.csv ? (
        <CsvColumns csv={op.csv} status={op.status} />
      ) : (
        <>
          <p>
            Answers {op.status} <code>{`{ "success": true, "message": "${op.message}", "data": … }`}</code>
            {data && fieldRows(data).length ? ', with data:' : '.'}
          </p>
          {data ? <FieldTable caption={`data (${op.status})`} rows={fieldRows(data)} /> : null}
        </>
      )}
      <p>
        Errors:{' '}
        {errorsOf(described).map(({ status, code }, i) => (
          <>
            {i > 0 ? ', ' : ''}
            <a href={`#error-${code}`}>
              {status} <code>{code}</code>
            </a>
          </>
        ))}
        .
      </p>
    </section>
  );
};

/** Every error code with its HTTP status, when it is answered, and its `details`. */
const ErrorTable: FC<{ document: OpenApiDocument }> = ({ document }) => {
  const schemas = document.components.schemas as unknown as Record<
    string,
    JsonSchema & { properties: { details: JsonSchema } }
  >;
  const codes = Object.entries(document.components.schemas.ErrorCodes.properties) as [
    string,
    { const: number; description: string },
  ][];
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">HTTP</th>
            <th scope="col">error_code</th>
            <th scope="col">when</th>
            <th scope="col">details</th>
          </tr>
        </thead>
        <tbody>
          {codes.map(([code, { const: status, description }]) => {
            const details = schemas[`Error_${code}`]!.properties.details;
            const rows = fieldRows(details);
            return (
              <tr id={`error-${code}`}>
                <td>{status}</td>
                <td>
                  <code>{code}</code>
                </td>
                <td>
                  <Inline text={description} />
                </td>
                <td>
                  <code>{outline(details)}</code>
                  {details.description ? (
                    <>
                      : <Inline text={details.description} />
                    </>
                  ) : null}
                  {rows.length ? (
                    <details>
                      <summary>fields</summary>
                      <FieldTable caption={`details of ${code}`} rows={rows} />
                    </details>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
};

/** The body the gateway POSTs for one webhook event, from the document's `webhooks`. */
function webhookRows(document: OpenApiDocument, event: keyof OpenApiDocument['webhooks']): FieldRow[] {
  return fieldRows(
    document.webhooks[event].post.requestBody.content['application/json'].schema as JsonSchema,
  );
}

/**
 * The API documentation as one server-rendered page, readable with no internet access and under a
 * strict Content-Security-Policy (its one style element carries the response's nonce): every endpoint
 * with its parameters, body and answer field by field (JSON type, required, default, allowed values,
 * description), a curl example and its errors; every error code; rate limits and webhook verification.
 * Rendered from the OpenAPI document, and from the operation table it is built from.
 */
export const Documentation: FC<{ base: string; document: OpenApiDocument; nonce: string }> = ({
  base,
  document,
  nonce,
}) => {
  const tags = [...new Set(OPERATIONS.map((op) => op.tag))];
  const paths = document.paths as Record<string, Record<string, Described>>;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Mifumo SMS API documentation</title>
        <style nonce={nonce}>{raw(STYLE)}</style>
      </head>
      <body>
        <main>
          <h1>Mifumo SMS integration API</h1>
          <p>
            Base URL <code>{base}</code>. Send <code>Authorization: Bearer &lt;API key&gt;</code> on every
            request. Every answer is the envelope{' '}
            <code>{'{ success, message, data, error_code, details }'}</code>: on success{' '}
            <code>success: true</code>, what the endpoint answers in <code>data</code> (its fields are listed
            with each endpoint) and <code>error_code</code> and <code>details</code> null; on an error{' '}
            <code>success: false</code>, <code>data: null</code>, an <a href="#errors">error code</a> and its
            details. Every path answers with and without its trailing slash; request bodies are JSON, and an
            unknown field is refused by name. The machine-readable description is{' '}
            <a href={`${base}/openapi.json`}>openapi.json</a> (OpenAPI 3.1). Keys, usage, webhooks and the
            activity log are also managed in the <a href={`${base}/dashboard/`}>dashboard</a> (sign in with an
            admin key).
          </p>
          <nav aria-label="Contents">
            <ul>
              {tags.map((tag) => (
                <li>
                  <a href={`#${tag.replace(/\s/g, '-')}`}>{tag}</a>
                  <ul>
                    {OPERATIONS.filter((op) => op.tag === tag).map((op) => (
                      <li>
                        <a href={`#${anchor(op)}`}>{op.summary}</a>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
              <li>
                <a href="#errors">Error codes</a>
              </li>
              <li>
                <a href="#rate-limits">Rate limits</a>
              </li>
              <li>
                <a href="#webhooks">Webhooks and their verification</a>
              </li>
            </ul>
          </nav>
          {tags.map((tag) => (
            <>
              <h2 id={tag.replace(/\s/g, '-')}>{tag}</h2>
              {OPERATIONS.filter((op) => op.tag === tag).map((op) => (
                <Endpoint op={op} described={paths[op.path]![op.method]!} base={base} />
              ))}
            </>
          ))}
          <h2 id="errors">Error codes</h2>
          <p>
            An error answers its HTTP status with{' '}
            <code>
              {'{ "success": false, "message": "…", "data": null, "error_code": "…", "details": … }'}
            </code>
            ; <code>details</code> has the shape its code gives it.
          </p>
          <ErrorTable document={document} />
          <h2 id="rate-limits">Rate limits</h2>
          <p>
            Per account, by default: 100 SMS per minute (each recipient counts), 1000 API calls per hour, 500
            contact operations per hour. Past a limit the answer is 429 <code>RATE_LIMIT_EXCEEDED</code> with{' '}
            <code>Retry-After</code>; every authenticated answer carries <code>RateLimit-Limit</code>,{' '}
            <code>RateLimit-Remaining</code> and <code>RateLimit-Reset</code> (on a 429, of the limit that
            refused it).
          </p>
          <h2 id="webhooks">Webhooks and their verification</h2>
          <p>
            With a <code>webhook_url</code> on the send (or the account’s URL), each recipient’s change to{' '}
            <code>sent</code>, <code>delivered</code>, <code>failed</code> or <code>expired</code> is POSTed
            with <code>Authorization: Bearer &lt;the sending key&gt;</code> (when the account’s{' '}
            <code>bearer_auth</code> is on), <code>X-Mifumo-Event-Id</code>, <code>X-Mifumo-Timestamp</code>{' '}
            and <code>X-Mifumo-Signature</code> (HMAC-SHA256 of <code>timestamp.body</code> with the signing
            secret). Retried with growing delays for 24 hours until a 2xx; a 410 stops them.
          </p>
          <FieldTable
            caption="message.status: the body POSTed"
            rows={webhookRows(document, 'message.status')}
          />
          <p>
            A message a subscriber sends to one of the account’s numbers is POSTed the same way (signed,
            without Authorization) to the number’s webhook URL, else the account’s.
          </p>
          <FieldTable
            caption="message.received: the body POSTed"
            rows={webhookRows(document, 'message.received')}
          />
          <p>Verify in JavaScript (Node 18+, Deno, Bun, Workers):</p>
          <pre>
            <code>{VERIFY_JS}</code>
          </pre>
          <p>or in Python:</p>
          <pre>
            <code>{VERIFY_PYTHON}</code>
          </pre>
        </main>
      </body>
    </html>
  );
};
