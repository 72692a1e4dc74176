import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { ParameterizedContext } from 'koa';
import type { Collection } from 'mongodb';
import { z } from 'zod';
import type { Clock } from '../../../contract/src/clock.ts';
import { isUniqueViolation } from '../../../contract/src/mongo-errors.ts';
import {
  IDEMPOTENCY_KEYS_COLLECTION,
  type IdempotencyKeyRecord,
} from '../../../contract/src/tenant-db/index.ts';
import { ApiProblem, problemBody } from '../errors/catalogue.ts';
import { requestContext } from '../observability/request-context.ts';
import type { TenantState } from '../tenancy/state.ts';
import { currentDeadline } from './deadline.ts';
import { derivedIds } from './request-ids.ts';

/**
 * A key is 1–255 visible ASCII characters, sent bare or as an sf-string (quoted): the pattern the
 * header is checked against and the one documented.
 */
const KEY_HEADER = /^(?!""$)(?:"[\x21-\x7e]{1,255}"|[\x21-\x7e]{1,255})$/;

/** The request header (IETF draft "The Idempotency-Key HTTP Header Field"), as documented. */
export const IdempotencyKeyHeader = z.object({
  'idempotency-key': z.string().regex(KEY_HEADER).optional().meta({
    description:
      'Makes a retry of this request safe: 1–255 visible ASCII characters (a quoted sf-string is the same key unquoted), unique per request you mean, kept 24 h. A repeat answers what the first got (Idempotent-Replayed: true).',
  }),
});

/** Response headers a replay repeats (besides the status, type and body). */
const REPLAYED_HEADERS = ['location', 'etag', 'cache-control'];
/** How often a waiting retry looks at the attempt it waits for: from this, doubling, … */
const FIRST_POLL_MS = 25;
/** …up to this. */
const MAX_POLL_MS = 250;
/** How often a pod deletes a tenant's expired keys itself (where no TTL index does). */
const PURGE_EVERY_MS = 3_600_000;

type StoredResponse = NonNullable<IdempotencyKeyRecord['response']>;

export interface IdempotencyOptions {
  clock: Clock;
  /** How long a key is remembered (IDEMPOTENCY_KEY_TTL_MS). */
  ttlMs: number;
  /** REQUEST_DEADLINE_MS: an attempt in progress for longer than this is certainly over. */
  requestDeadlineMs: number;
}

/**
 * What a key is scoped to: the tenant, the account, the method and the route. The ids a keyed
 * request creates are derived from it (`derivedIds`).
 */
export function idempotencyScope(
  tenantId: string,
  accountId: string,
  route: { method: string; path: string },
  key: string,
): string {
  return [tenantId, accountId, route.method, route.path, key].join('\u0000');
}

/** The key as sent: an sf-string's quotes are not part of it. */
function parseKey(header: string): string {
  if (!KEY_HEADER.test(header)) throw new ApiProblem('idempotency-key-invalid');
  return /^"(.*)"$/.exec(header)?.[1] ?? header;
}

/**
 * Requests sent with an Idempotency-Key run their handler at most once per key, whatever the
 * client retries: the key is recorded in the tenant's database (scoped to the account, method and
 * route) before the handler runs, with a fingerprint of the request and, once it has answered,
 * the answer. A repeat gets that answer again (`Idempotent-Replayed: true`); the same key with
 * another request is a 422; a repeat while the first is still running waits for its answer, or
 * takes over once the first is certainly over (its deadline passed: a pod that died mid-request).
 *
 * The handler of a keyed request gets ids derived from the key (request-ids.ts), so a re-run after
 * a crash — which may find the first attempt's documents stored without its answer — collides on
 * them and answers with what is stored (`createOnce`). No transaction is needed.
 */
export class IdempotentRequests {
  readonly #o: IdempotencyOptions;
  /** When this pod last deleted each tenant's expired keys. */
  readonly #purgedAt = new Map<string, number>();

  constructor(options: IdempotencyOptions) {
    this.#o = options;
  }

  /** Runs `handler` for the request, once per Idempotency-Key if it carries one. */
  async serve(
    ctx: ParameterizedContext<TenantState>,
    route: { method: string; path: string },
    input: unknown,
    handler: () => Promise<void> | void,
  ): Promise<void> {
    // An empty header is a key that is invalid, not an absent one.
    const header = ctx.headers['idempotency-key'];
    if (header === undefined) return handler();
    if (typeof header !== 'string') throw new ApiProblem('idempotency-key-invalid');
    const key = parseKey(header);
    const accountId = ctx.state.principal?.userId ?? '';
    const scope = idempotencyScope(ctx.state.tenant.tenantId, accountId, route, key);
    const fields = {
      _id: createHash('sha256').update(scope).digest('base64url'),
      accountId,
      method: route.method,
      route: route.path,
      fingerprint: createHmac('sha256', key)
        .update(JSON.stringify({ path: ctx.path, input }))
        .digest('base64url'),
    };
    const keys = ctx.state.db.connection.db?.collection<IdempotencyKeyRecord>(IDEMPOTENCY_KEYS_COLLECTION);
    if (!keys) throw new Error('the tenant database is not open');
    this.#purge(ctx.state.tenant.tenantId, keys);

    const sealing = createHash('sha256').update('atrium idempotent response\u0000').update(scope).digest();
    const claim = await this.#claim(keys, fields);
    if ('replay' in claim) {
      replay(ctx, claim.replay, sealing);
      return;
    }
    const mine = { _id: fields._id, state: 'in-progress' as const, startedAt: claim.startedAt };
    ctx.state.ids = derivedIds(scope);
    let response: StoredResponse;
    try {
      await handler();
      response = {
        status: ctx.status,
        type: ctx.response.type || null,
        headers: Object.fromEntries(
          REPLAYED_HEADERS.flatMap((name) =>
            ctx.response.get(name) ? [[name, ctx.response.get(name)]] : [],
          ),
        ),
        body: ctx.body === undefined || ctx.body === null ? null : seal(sealing, JSON.stringify(ctx.body)),
      };
    } catch (error) {
      // A client's mistake is the answer to this key; anything else (a cluster down, the deadline)
      // may go better next time: the key is let go, and a retry runs the handler again.
      if (!(error instanceof ApiProblem) || error.status >= 500) {
        await this.#release(keys, mine);
        throw error;
      }
      response = {
        status: error.status,
        type: 'application/problem+json',
        headers: error.headers,
        body: seal(sealing, JSON.stringify(problemBody(error, ctx.state.requestId))),
      };
      await this.#complete(keys, mine, response);
      throw error;
    }
    await this.#complete(keys, mine, response);
  }

  /** The record is this request's to serve (when its attempt started), or the answer to replay. */
  async #claim(
    keys: Collection<IdempotencyKeyRecord>,
    fields: Pick<IdempotencyKeyRecord, '_id' | 'accountId' | 'method' | 'route' | 'fingerprint'>,
  ): Promise<{ startedAt: Date } | { replay: StoredResponse }> {
    const fresh = (): IdempotencyKeyRecord => {
      const now = this.#o.clock.now();
      return {
        ...fields,
        state: 'in-progress',
        startedAt: new Date(now),
        completedAt: null,
        response: null,
        expiresAt: new Date(now + this.#o.ttlMs),
      };
    };
    let pollMs = FIRST_POLL_MS;
    for (;;) {
      const record = fresh();
      try {
        await keys.insertOne(record);
        return { startedAt: record.startedAt };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const found = await keys.findOne({ _id: fields._id });
      if (!found) continue;
      const now = this.#o.clock.now();
      const current = { _id: found._id, state: found.state, startedAt: found.startedAt };
      if (found.expiresAt.getTime() <= now) {
        // Expired and not deleted yet: the key is free again.
        const renewed = fresh();
        if ((await keys.replaceOne(current, renewed)).matchedCount === 1)
          return { startedAt: renewed.startedAt };
        continue;
      }
      if (found.fingerprint !== fields.fingerprint) throw new ApiProblem('idempotency-key-reused');
      if (found.state === 'completed' && found.response) return { replay: found.response };
      const overAt = found.startedAt.getTime() + this.#o.requestDeadlineMs;
      if (overAt <= now) {
        // The attempt serving it is past its deadline (its pod died, or it hung): take over, once.
        const startedAt = new Date(now);
        const taken = await keys.updateOne(current, { $set: { startedAt } });
        if (taken.matchedCount === 1) return { startedAt };
        continue;
      }
      // Still being served: wait for its answer, if it can come (or the attempt be over) in our time.
      const deadline = currentDeadline();
      if (!deadline || overAt >= deadline.at) {
        throw new ApiProblem('idempotency-key-in-use', {
          headers: { 'Retry-After': String(Math.max(1, Math.ceil((overAt - now) / 1000))) },
        });
      }
      await this.#o.clock.sleep(Math.min(pollMs, overAt - now), deadline.signal());
      pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
    }
  }

  async #complete(
    keys: Collection<IdempotencyKeyRecord>,
    mine: Pick<IdempotencyKeyRecord, '_id' | 'state' | 'startedAt'>,
    response: StoredResponse,
  ): Promise<void> {
    try {
      await keys.updateOne(mine, {
        $set: { state: 'completed', response, completedAt: this.#o.clock.date() },
      });
    } catch (error) {
      await this.#release(keys, mine);
      throw error;
    }
  }

  /**
   * Lets the key go, so that a retry runs at once rather than wait for this attempt's deadline to
   * pass. Outside the request's deadline: a request that ran out of time lets go too.
   */
  async #release(
    keys: Collection<IdempotencyKeyRecord>,
    mine: Pick<IdempotencyKeyRecord, '_id' | 'state' | 'startedAt'>,
  ): Promise<void> {
    await requestContext.exit(() => keys.deleteOne(mine)).catch(() => undefined);
  }

  /** Expired keys of a tenant, deleted at most hourly per pod (a TTL index does it where it exists). */
  #purge(tenantId: string, keys: Collection<IdempotencyKeyRecord>): void {
    const now = this.#o.clock.now();
    if (now - (this.#purgedAt.get(tenantId) ?? 0) < Math.min(PURGE_EVERY_MS, this.#o.ttlMs)) return;
    this.#purgedAt.set(tenantId, now);
    void requestContext
      .exit(() => keys.deleteMany({ expiresAt: { $lte: new Date(now) } }))
      .catch(() => undefined);
  }
}

function replay(ctx: ParameterizedContext<TenantState>, response: StoredResponse, sealing: Buffer): void {
  ctx.status = response.status;
  for (const [name, value] of Object.entries(response.headers)) ctx.set(name, value);
  ctx.set('Idempotent-Replayed', 'true');
  if (response.body !== null) {
    ctx.body = JSON.parse(unseal(sealing, response.body));
    if (response.type) ctx.type = response.type;
  }
}

/**
 * Stored answers are sealed (AES-256-GCM) with a key derived from the Idempotency-Key and its
 * scope: only a client that presents the key can read one (an answer may carry a generated password).
 */
function seal(key: Buffer, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

function unseal(key: Buffer, stored: string): string {
  const bytes = Buffer.from(stored, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}
