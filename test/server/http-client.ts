// Raw node:http requests for tests that need what fetch hides (exact bytes, early responses, Host).
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

export function rawRequest(
  url: string,
  options: { method?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer; chunks?: Buffer[] } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    // Errors after the response arrived (the server cuts an oversized upload) do not matter here.
    req.on('error', reject);
    if (options.chunks !== undefined) {
      const writeNext = (index: number): void => {
        if (index >= options.chunks!.length) {
          req.end();
          return;
        }
        if (req.destroyed) return;
        req.write(options.chunks![index], () => writeNext(index + 1));
      };
      writeNext(0);
    } else {
      req.end(options.body);
    }
  });
}
