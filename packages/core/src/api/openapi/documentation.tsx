/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { z } from 'zod';
import { ERROR_DETAILS } from '../../error-details';
import { ERROR_CODES, type ErrorCode } from '../../errors';
import { VERIFY_JS, VERIFY_PYTHON } from '../../webhooks/verify-snippets';
import { OPERATIONS, type Operation } from './operations';

const STYLE = `
body{font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem 1.25rem 4rem}
nav{background:#f4f6f8;border-radius:.5rem;padding:.5rem 1rem;margin:1rem 0}
nav ul{margin:.25rem 0;padding-left:1.25rem}
h1{font-size:1.8rem}h2{margin-top:2.5rem;border-bottom:1px solid #d8dee4;padding-bottom:.25rem}
h3{margin-top:2rem;font-size:1.15rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
pre{background:#f4f6f8;padding:.75rem;border-radius:.4rem;overflow-x:auto;white-space:pre}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;border-bottom:1px solid #e4e8ec;padding:.3rem .4rem;vertical-align:top}
.method{display:inline-block;min-width:4.2rem;font-weight:700;color:#0b5cad}
.perm{font-size:.85em;color:#57606a}
a{color:#0b5cad}a:focus{outline:2px solid #0b5cad}
`;

const anchor = (op: Operation) =>
  `${op.method}-${op.path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`;

/** The example request of an operation, as curl. */
function curl(op: Operation, base: string): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_, p: string) => `<${p}>`);
  const auth =
    op.auth === 'callback' ? '"?token=$CALLBACK_TOKEN"' : '-H "Authorization: Bearer $MIFUMO_API_KEY"';
  const lines = [`curl -X ${op.method.toUpperCase()} ${op.auth === 'callback' ? '' : `${auth} `}\\`];
  if (op.example !== undefined)
    lines.push(`  -H 'Content-Type: application/json' -d '${JSON.stringify(op.example)}' \\`);
  lines.push(`  ${base}${path}${op.auth === 'callback' ? '?token=$CALLBACK_TOKEN' : ''}`);
  return lines.join('\n');
}

/** A zod object's fields as rows: name, type, required, description. */
function fields(schema: Operation['body'] | Operation['query']) {
  const shape = (
    schema as { shape?: Record<string, { description?: string; type?: string; def?: { type?: string } }> }
  )?.shape;
  if (!shape) return [];
  return Object.entries(shape).map(([name, field]) => ({
    name,
    type: field.def?.type ?? field.type ?? '',
    optional: (field as unknown as { safeParse(v: unknown): { success: boolean } }).safeParse(undefined)
      .success,
    description: field.description ?? '',
  }));
}

type JsonSchema = {
  type?: string;
  properties?: object;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

/** A JSON Schema's outline as a reader scans it: `{ phones, encoding }`, `[{ field, message }]`, `null`. */
function outline(schema: JsonSchema): string {
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return options.map(outline).join(' | ');
  if (schema.type === 'array' && schema.items) return `[${outline(schema.items)}]`;
  if (schema.properties) return `{ ${Object.keys(schema.properties).join(', ')} }`;
  return schema.type ?? 'any';
}

/** The shape of an error code's `details`, and what it holds. */
function detailsOf(code: ErrorCode): string {
  const schema = ERROR_DETAILS[code];
  const description = schema.meta()?.description;
  return `${outline(z.toJSONSchema(schema) as JsonSchema)}${description ? `: ${description}` : ''}`;
}

const Fields: FC<{ schema: Operation['body'] | Operation['query']; title: string }> = ({ schema, title }) => {
  const rows = fields(schema);
  if (rows.length === 0) return null;
  return (
    <table>
      <caption style="text-align:left;font-weight:600">{title}</caption>
      <thead>
        <tr>
          <th scope="col">field</th>
          <th scope="col">type</th>
          <th scope="col">required</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <td>
              <code>{r.name}</code>
            </td>
            <td>{r.type}</td>
            <td>{r.optional ? 'no' : 'yes'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

const Endpoint: FC<{ op: Operation; base: string }> = ({ op, base }) => (
  <section id={anchor(op)}>
    <h3>
      <span class="method">{op.method.toUpperCase()}</span> <code>{op.path}</code>
    </h3>
    <p>
      <strong>{op.summary}.</strong> {op.description ?? ''}{' '}
      <span class="perm">
        {op.auth === 'callback'
          ? 'Authenticated by the carrier’s callback token.'
          : `Needs the ${op.auth} permission.`}
      </span>
    </p>
    {op.params ? (
      <ul>
        {Object.entries(op.params).map(([name, text]) => (
          <li>
            <code>{name}</code>: {text}
          </li>
        ))}
      </ul>
    ) : null}
    <Fields schema={op.query} title="Query parameters" />
    <Fields schema={op.body} title="Body (JSON)" />
    <pre>
      <code>{curl(op, base)}</code>
    </pre>
    <p>
      Answers {op.status} <code>{`{ "success": true, "message": "${op.message}", "data": … }`}</code>; errors:{' '}
      {op.errors.length ? op.errors.map((e) => <code>{`${e} `}</code>) : 'only the common ones'}.
    </p>
  </section>
);

/**
 * The API documentation as one server-rendered page, readable with no internet access: every endpoint
 * with a curl example, the error codes, rate limits and webhook verification. Built from the same
 * operation table as the OpenAPI document.
 */
export const Documentation: FC<{ base: string }> = ({ base }) => {
  const tags = [...new Set(OPERATIONS.map((op) => op.tag))];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Mifumo SMS API documentation</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <main>
          <h1>Mifumo SMS integration API</h1>
          <p>
            Base URL <code>{base}</code>. Send <code>Authorization: Bearer &lt;API key&gt;</code> on every
            request. Every answer is the envelope{' '}
            <code>{'{ success, message, data, error_code, details }'}</code>; every path answers with and
            without its trailing slash. The machine-readable description is{' '}
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
                <Endpoint op={op} base={base} />
              ))}
            </>
          ))}
          <h2 id="errors">Error codes</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">HTTP</th>
                <th scope="col">error_code</th>
                <th scope="col">details</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(ERROR_CODES).map(([code, status]) => (
                <tr>
                  <td>{status}</td>
                  <td>
                    <code>{code}</code>
                  </td>
                  <td>{detailsOf(code as ErrorCode)}</td>
                </tr>
              ))}
            </tbody>
          </table>
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
            <code>sent</code>, <code>delivered</code> or <code>failed</code> is POSTed as{' '}
            <code>{'{ message_id, status, recipients: [{ phone, status, delivery_time }], metadata }'}</code>{' '}
            with <code>Authorization: Bearer &lt;the sending key&gt;</code>, <code>X-Mifumo-Event-Id</code>,{' '}
            <code>X-Mifumo-Timestamp</code> and <code>X-Mifumo-Signature</code> (HMAC-SHA256 of{' '}
            <code>timestamp.body</code> with the signing secret). Retried with growing delays for 24 hours
            until a 2xx; a 410 stops them. A message a subscriber sends to one of the account’s numbers is
            POSTed the same way (signed, without Authorization) to the number’s webhook URL, else the
            account’s, as{' '}
            <code>
              {'{ event: "message.received", inbound_id, from, to, text, keyword, received_at, in_reply_to }'}
            </code>
            . Verify in JavaScript (Node 18+, Deno, Bun, Workers):
          </p>
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
