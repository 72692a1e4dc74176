import test from 'ava';
import { call, createWorld, hostOf, type World } from './fixtures.ts';
import { openSchool } from './school.ts';

// What a browser app on another origin meets (#16): CORS per tenant, preflights answered the way
// browsers send them, and the security headers of a JSON API that carries tokens and personal data.

const APP = 'https://app.example.edu';
const OTHER_APP = 'https://grades.other-school.org';
const EVERYWHERE = 'https://lms-companion.example.com';

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

/** The preflight a browser sends before a cross-origin POST with a token and a JSON body. */
const preflight = (api: { url: string }, host: string, origin: string, path = '/v1/courses') =>
  call(api.url, 'OPTIONS', path, {
    host,
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,idempotency-key',
    },
  });

test("a preflight from an origin the tenant allows: 204 with the route's methods and the headers the API reads; never a wildcard or credentials", async (t) => {
  const api = await world.startApi();
  const tenant = await world.tenant({ corsOrigins: [APP] });
  const reply = await preflight(api, hostOf(tenant), APP);
  t.is(reply.status, 204);
  t.is(reply.headers['access-control-allow-origin'], APP);
  t.deepEqual(String(reply.headers['access-control-allow-methods']).split(', '), ['GET', 'HEAD', 'POST']);
  const allowedHeaders = String(reply.headers['access-control-allow-headers']).toLowerCase().split(', ');
  for (const header of ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-tenant-id'])
    t.true(allowedHeaders.includes(header), header);
  t.is(reply.headers['access-control-max-age'], '600');
  t.is(reply.headers['access-control-allow-credentials'], undefined);
  t.regex(String(reply.headers.vary), /Origin/);
  // A course's own path serves other methods, and the preflight says so.
  const course = await preflight(
    api,
    hostOf(tenant),
    APP,
    '/v1/courses/0191d2c4-0000-7000-8000-000000000000',
  );
  t.deepEqual(String(course.headers['access-control-allow-methods']).split(', '), ['GET', 'HEAD', 'PATCH']);
});

test("nothing is allowed by default, and one tenant's origins are not another's: 403 cors-origin-not-allowed, no CORS headers", async (t) => {
  const api = await world.startApi();
  const [withApp, withoutAny] = [await world.tenant({ corsOrigins: [APP] }), await world.tenant()];
  for (const [tenant, origin] of [
    [withoutAny, APP],
    [withApp, OTHER_APP],
    // Case and a trailing slash are not the origin a browser sends, and not what was allowed.
    [withApp, `${APP}/`],
    [withApp, 'https://APP.example.edu'],
  ] as const) {
    const reply = await preflight(api, hostOf(tenant), origin);
    t.is(reply.status, 403, origin);
    t.is(reply.body.type, 'https://atrium.dev/problems/cors-origin-not-allowed');
    t.is(reply.headers['access-control-allow-origin'], undefined);
  }
  const unknownPath = await preflight(api, hostOf(withApp), APP, '/v1/nothing-here');
  t.is(unknownPath.status, 404);
});

test('actual requests: an allowed origin can read the answer (errors too) and the headers it needs; another origin is served without CORS headers', async (t) => {
  const api = await world.startApi();
  const school = await openSchool(world, api, { corsOrigins: [APP] });
  const listed = await school.as(school.admin)('GET', '/v1/courses', undefined, { origin: APP });
  t.is(listed.status, 200);
  t.is(listed.headers['access-control-allow-origin'], APP);
  const exposed = String(listed.headers['access-control-expose-headers']).split(', ');
  for (const header of [
    'ETag',
    'Location',
    'Retry-After',
    'RateLimit',
    'Idempotent-Replayed',
    'X-Request-Id',
  ])
    t.true(exposed.includes(header), header);
  t.regex(String(listed.headers.vary), /Origin/);

  const refused = await school.as(undefined)('GET', '/v1/courses', undefined, { origin: APP });
  t.is(refused.status, 401);
  t.is(refused.headers['access-control-allow-origin'], APP, 'an app can read why it was refused');

  const elsewhere = await school.as(school.admin)('GET', '/v1/courses', undefined, { origin: OTHER_APP });
  t.is(elsewhere.status, 200);
  t.is(elsewhere.headers['access-control-allow-origin'], undefined);
});

test('origins allowed for every tenant (CORS_ALLOWED_ORIGINS) apply on tenant hosts and to X-Tenant-ID requests on a shared host', async (t) => {
  const api = await world.startApi({ CORS_ALLOWED_ORIGINS: `${EVERYWHERE}, ${OTHER_APP}` });
  const tenant = await world.tenant();
  t.is((await preflight(api, hostOf(tenant), EVERYWHERE)).status, 204);
  // The bare base domain names no tenant: its apps send X-Tenant-ID, which a preflight cannot carry.
  const shared = await preflight(api, 'lms.test', EVERYWHERE);
  t.is(shared.status, 204);
  t.is(shared.headers['access-control-allow-origin'], EVERYWHERE);
  t.is((await preflight(api, 'lms.test', APP)).status, 403);
  const token = await world.token(tenant, ['teacher']);
  const reply = await call(api.url, 'GET', '/v1/tenant', {
    host: 'lms.test',
    token,
    headers: { 'x-tenant-id': tenant.tenantId, origin: EVERYWHERE },
  });
  t.is(reply.status, 200);
  t.is(reply.headers['access-control-allow-origin'], EVERYWHERE);
});

test('a CORS_ALLOWED_ORIGINS entry that is not an origin stops the pod at start, naming the variable', async (t) => {
  const error = await t.throwsAsync(world.startApi({ CORS_ALLOWED_ORIGINS: 'https://app.example.edu/path' }));
  t.regex(error?.message ?? '', /CORS_ALLOWED_ORIGINS/);
});

test('security headers: nosniff, no caching of anything of a tenant, HSTS only over TLS the trusted hop reports, no X-Powered-By', async (t) => {
  const direct = await world.startApi();
  const behindIngress = await world.startApi({ TRUST_PROXY_HOPS: '1' });
  const school = await openSchool(world, direct);
  const login = await school.login(school.admin.email, school.admin.password);
  t.is(login.status, 200);
  for (const reply of [
    login,
    await school.as(school.admin)('GET', '/v1/courses'),
    await school.as(undefined)('GET', '/v1/courses'),
  ]) {
    t.is(reply.headers['x-content-type-options'], 'nosniff');
    t.is(reply.headers['cache-control'], 'no-store');
    t.is(reply.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
    t.is(reply.headers['referrer-policy'], 'no-referrer');
    t.is(reply.headers['x-powered-by'], undefined);
    t.is(reply.headers['strict-transport-security'], undefined, 'plain HTTP: no HSTS');
  }
  const spec = await call(direct.url, 'GET', '/openapi.json');
  t.is(spec.headers['cache-control'], undefined, 'the public contract may be cached');
  t.is(spec.headers['x-content-type-options'], 'nosniff');

  const overTls = { host: hostOf(school.tenant), headers: { 'x-forwarded-proto': 'https' } };
  const trusted = await call(behindIngress.url, 'GET', '/v1/tenant', overTls);
  t.is(trusted.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
  // A client's own X-Forwarded-Proto means nothing to a pod that trusts no proxy.
  const untrusted = await call(direct.url, 'GET', '/v1/tenant', overTls);
  t.is(untrusted.headers['strict-transport-security'], undefined);
});
