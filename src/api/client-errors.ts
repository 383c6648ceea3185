import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Requests Node's HTTP parser refuses never reach express: headers or URL over `maxHeaderSize`
 * (16 KiB) are 431, other malformed requests 400. Node answers them with an empty body; this
 * answers in the API's JSON error shape, so every 4xx says what was wrong.
 */
export function answerClientErrorsAsJson(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, code, message] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [
            431,
            'headers_too_large',
            'Request headers (the URL included) exceed 16 KiB: send a long search as POST /v1/search with a JSON body',
          ]
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'request_timeout', 'The request was not received in time']
          : [400, 'bad_request', 'Malformed HTTP request'];
    const body = JSON.stringify({ error: { code, message, details: [] } });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
