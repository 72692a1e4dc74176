/**
 * The whole of Atrium on this machine, with sample tenants a user can curl:
 * real servers, CRDs, the operator and the API as processes, examples/tenants applied with
 * kubectl, a scripted LMS session against each tenant; then it keeps serving until Ctrl-C.
 *
 *   scripts/local-stack.sh              # keep serving
 *   scripts/local-stack.sh --once       # exit after the scripted session
 *   scripts/local-stack.sh --tenants 200   # and 200 generated sample tenants besides the examples
 *   scripts/local-stack.sh --help
 */
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { runLmsSession } from './lib/lms-session.ts';
import { startSystem } from './lib/system.ts';

const { values: args } = parseArgs({
  options: { once: { type: 'boolean', default: false }, tenants: { type: 'string', default: '0' } },
  strict: true,
});
const once = args.once;
const extraTenants = Number(args.tenants);
if (!Number.isInteger(extraTenants) || extraTenants < 0 || extraTenants > 5_000) {
  process.stderr.write('--tenants takes a whole number from 0 to 5000 (see --help)\n');
  process.exit(2);
}

/** `count` sample Tenants (sample-0001 …) on the free plan, as one kubectl apply document stream. */
function sampleTenants(count: number): string {
  return Array.from({ length: count }, (_, i) => {
    const name = `sample-${String(i + 1).padStart(4, '0')}`;
    return [
      'apiVersion: atrium.dev/v1alpha1',
      'kind: Tenant',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      `  displayName: Sample School ${i + 1}`,
      `  subdomain: ${name}`,
      '  plan: free',
      '  deletionPolicy: Delete',
    ].join('\n');
  }).join('\n---\n');
}
const say = (line: string) => process.stdout.write(`${line}\n`);
const log = (line: string) => process.stdout.write(`[stack] ${line}\n`);

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function main(): Promise<number> {
  const namespace = 'atrium';
  const baseDomain = 'lms.localhost';
  const system = await startSystem({
    namespace,
    release: 'atrium',
    clusterPrefix: 'local',
    baseDomain,
    ...((await portIsFree(8080)) ? { apiPort: 8080 } : {}),
    log,
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping everything');
    await system.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  /** Every Tenant of the namespace Ready, as `kubectl wait` says it (printed first). */
  const waitAllReady = (seconds: number) => {
    say(`$ kubectl wait -n ${namespace} --for=condition=Ready tenant --all --timeout=${seconds}s`);
    return system.kubectl([
      'wait',
      '-n',
      namespace,
      '--for=condition=Ready',
      'tenant',
      '--all',
      `--timeout=${seconds}s`,
    ]);
  };

  try {
    say(`\n$ kubectl apply -n ${namespace} -f examples/tenants/`);
    say((await system.kubectl(['apply', '-n', namespace, '-f', 'examples/tenants/'])).trim());
    say((await waitAllReady(180)).trim());
    if (extraTenants > 0) {
      say(`\n$ kubectl apply -n ${namespace} -f - # ${extraTenants} sample tenants (sample-0001 …)`);
      const started = performance.now();
      await system.kubectl(['apply', '-n', namespace, '-f', '-'], sampleTenants(extraTenants));
      await waitAllReady(900);
      const seconds = (performance.now() - started) / 1000;
      say(
        `${extraTenants} sample tenants Ready in ${seconds.toFixed(1)} s (${(extraTenants / seconds).toFixed(1)} tenants/s)`,
      );
    }
    say(`$ kubectl get tenants -n ${namespace}${extraTenants > 0 ? ' | head' : ''}`);
    say(
      (await system.kubectl(['get', 'tenants', '-n', namespace])).trim().split('\n').slice(0, 12).join('\n'),
    );

    // The session runs against the examples (their admins have known e-mail addresses).
    const tenants = (
      await system.kubectl(['get', 'tenants', '-n', namespace, '-o', 'jsonpath={.items[*].spec.subdomain}'])
    )
      .trim()
      .split(/\s+/)
      .filter((subdomain) => !subdomain.startsWith('sample-'));
    say('\nA short LMS session per tenant:');
    for (const tenant of tenants) {
      await runLmsSession({
        apiUrl: system.apiUrl(),
        host: `${tenant}.${baseDomain}`,
        tenant,
        admin: await system.adminCredentials(tenant),
        say,
      });
    }
  } catch (error) {
    log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
    return 1;
  }

  const port = new URL(system.apiUrl()).port;
  say(`
Atrium is running.
  API:          ${system.apiUrl()}   (tenants at http://<subdomain>.${baseDomain}:${port})
  OpenAPI:      ${system.apiUrl()}/openapi.json
  Metrics:      ${system.apiOpsUrl()}/metrics   (the ops port: /healthz, /readyz, /metrics)
  kubectl:      kubectl --kubeconfig ${system.stack.kubeconfig} get tenants -n ${namespace}
  Admin login:  admin@acme.example.edu / acme-admin-password (the session above replaced the initial one
                in: kubectl --kubeconfig ${system.stack.kubeconfig} get secret -n ${namespace} acme-admin -o jsonpath='{.data.password}' | base64 -d)

Try:
  curl -s http://acme.${baseDomain}:${port}/v1/tenant
  curl -s -H 'X-Tenant-ID: globex' ${system.apiUrl()}/v1/tenant
  curl -s -X POST -H 'Content-Type: application/json' -H 'X-Tenant-ID: acme' \\
       -d '{"email":"teacher@acme.example.edu","password":"teacher-password-1"}' ${system.apiUrl()}/v1/auth/login

Press Ctrl-C to stop everything.`);
  if (once) await stop(0);
  return 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
