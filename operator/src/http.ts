import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * /healthz (the process is alive and its informers are not stalled), /readyz (it can do its job:
 * leading with synced caches, or standing by as a follower), /metrics (Prometheus).
 */
export interface HealthSources {
  live(): boolean;
  ready(): boolean;
  metrics: () => Registry;
}

export function startHttpServer(sources: HealthSources, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = (ok: boolean) => {
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(ok ? 'ok\n' : 'not ok\n');
    };
    if (path === '/healthz') return answer(sources.live());
    if (path === '/readyz') return answer(sources.ready());
    if (path === '/metrics') {
      const registry = sources.metrics();
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        },
        () => answer(false),
      );
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
