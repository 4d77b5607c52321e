import type { Socket } from 'node:net';
import { RequestError } from '@hono/node-server';
import { GatewayError } from '@mifumo/core';

/**
 * What Node's HTTP parser refuses before the app sees a request (a request line or headers over its
 * limit, malformed HTTP) answered in the gateway's envelope instead of Node's bare status line, then
 * the connection closed, as it cannot carry another request.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket) {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const e =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new GatewayError(
          'HEADERS_TOO_LARGE',
          'The request line or headers are larger than this server accepts',
        )
      : new GatewayError('VALIDATION_ERROR', 'The request is not valid HTTP', [
          { field: '(request)', message: `is not valid HTTP${error.code ? ` (${error.code})` : ''}` },
        ]);
  const body = JSON.stringify(e.toEnvelope());
  const reason = e.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${e.status} ${reason}\r\nContent-Type: application/json; charset=UTF-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * A request Node parsed but the Hono adapter cannot make a `Request` of (a malformed or missing Host
 * header, a backslash in the path, an absolute URL it refuses): answered in the envelope, as any 400.
 */
export function refusedRequest(error: unknown): Response {
  if (!(error instanceof RequestError))
    // The app answers its own failures; should one still escape it, it is ours, not the client's.
    return new GatewayError('INTERNAL_ERROR', 'Something went wrong on our side').getResponse();
  return new GatewayError(
    'VALIDATION_ERROR',
    `The request's Host header or path cannot be read: ${error.message}`,
    [{ field: '(request)', message: error.message }],
  ).getResponse();
}
