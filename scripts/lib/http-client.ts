import { request } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: callers read response bodies field by field
  body: any;
}

/** One HTTP request to an API instance; `host` sets the Host header (the subdomain source). */
export function call(
  baseUrl: string,
  method: string,
  path: string,
  options: {
    host?: string;
    headers?: Record<string, string>;
    body?: unknown;
    raw?: string;
    token?: string;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, baseUrl);
    const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const req = request(
      url,
      {
        method,
        headers: {
          ...(options.host ? { host: options.host } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON (metrics)
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
