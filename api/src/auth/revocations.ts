import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock, Timer } from '../../../contract/src/clock.ts';

/** Thrown by `isRevoked` while this pod cannot know every revocation (its subscription is down). */
export class RevocationsUnavailable extends Error {
  constructor() {
    super('the revocation list is not in sync with Redis');
    this.name = 'RevocationsUnavailable';
  }
}

const RevocationMessage = z.strictObject({
  v: z.literal(1),
  /** `tenantId:accountId` */
  member: z.string().min(3).max(200),
  /** Seconds since the epoch, with milliseconds. */
  at: z.number().min(0),
});

const memberOf = (tenantId: string, accountId: string) => `${tenantId}:${accountId}`;

export interface AccountRevocationsOptions {
  redis: Redis;
  accessTtlSeconds: number;
  prefix?: string | undefined;
  logger?: Logger | undefined;
  /** Re-reads every revocation this often, in case a message was lost (default 30 s). */
  resyncMs?: number | undefined;
  /**
   * PINGs the subscription this often (default 1 s): a connection that stopped answering (Redis
   * stalled, a partition) is dropped and reopened, and tokens are refused until it is in sync again.
   */
  heartbeatMs?: number | undefined;
  /** How long a PING may take (default 2 s). */
  pingTimeoutMs?: number | undefined;
  /** Revocation times, the resync timer and the PING deadline. */
  clock: Clock;
}

/**
 * Access tokens are short-lived and verified without a database read; to make them stop working
 * when an account is deactivated (or changes its password or role), the moment of revocation is
 * kept in Redis, shared by every pod, for as long as a token issued before it could live (one sorted
 * set, `<prefix>:v1:revocations`, member `tenantId:accountId`, score the revocation time in seconds
 * with milliseconds). A token is revoked when its session was authenticated before that moment
 * (its `auth_time`): a token refreshed afterwards from an older session is revoked too, while a
 * login just after the change (the same second, even the same millisecond) is not.
 *
 * Pods do not read Redis per request. `revoke` adds to the set and publishes on a channel; every
 * pod keeps the revocations of the last token lifetime in memory, applies published ones as they
 * arrive (milliseconds) and re-reads the whole set when its subscription (re)starts and every
 * `resyncMs`. While its subscription is down a pod cannot know what it missed, so `isRevoked`
 * throws: tokens are refused (fail closed) until the set has been re-read. A subscription that
 * stops answering without closing (a stalled Redis, a partition) is found by a PING every
 * `heartbeatMs`, dropped and reopened: a pod cut off from Redis refuses tokens within a heartbeat
 * and a PING timeout, and a revocation made meanwhile on another pod is never missed. Until it is
 * in sync again, every heartbeat retries the re-read.
 */
export class AccountRevocations {
  readonly #redis: Redis;
  readonly #setKey: string;
  readonly #channel: string;
  /** How far back a revocation can still matter: a token lifetime, plus clock skew. */
  readonly #horizonSeconds: number;
  readonly #logger: Logger | undefined;
  readonly #resyncMs: number;
  readonly #heartbeatMs: number;
  readonly #pingTimeoutMs: number;
  readonly #clock: Clock;
  /** `tenantId:accountId` → revoked-at (s, with ms) and when the entry may be forgotten (ms). */
  readonly #known = new Map<string, { at: number; until: number }>();
  #subscriber: Redis | undefined;
  #synced = false;
  /** Counts subscription losses; a read counts only if no loss happened during it. */
  #epoch = 0;
  #subscribedEpoch = -1;
  #timer: Timer | undefined;
  #heartbeat: Timer | undefined;
  /** The heartbeat PING in progress: the next tick skips rather than piling up behind it. */
  #pinging = false;
  /** The periodic re-read in progress: the next tick skips rather than piling up behind it. */
  #resync: Promise<void> | undefined;
  #detach: (() => void) | undefined;

  constructor(options: AccountRevocationsOptions) {
    this.#redis = options.redis;
    const prefix = options.prefix ?? 'atrium';
    this.#setKey = `${prefix}:v1:revocations`;
    this.#channel = `${prefix}:revocations:v1`;
    this.#horizonSeconds = options.accessTtlSeconds + 60;
    this.#logger = options.logger;
    this.#resyncMs = options.resyncMs ?? 30_000;
    this.#heartbeatMs = options.heartbeatMs ?? 1_000;
    this.#pingTimeoutMs = options.pingTimeoutMs ?? 2_000;
    this.#clock = options.clock;
  }

  /** Every token of the account issued up to now stops working: here at once, elsewhere on receipt. */
  async revoke(tenantId: string, accountId: string): Promise<void> {
    const member = memberOf(tenantId, accountId);
    const at = this.#clock.now() / 1000;
    const results = await this.#redis
      .multi()
      .zadd(this.#setKey, 'GT', at, member)
      // Revocations older than any live token are of no use: the set holds one token lifetime.
      .zremrangebyscore(this.#setKey, '-inf', `(${at - this.#horizonSeconds}`)
      .publish(this.#channel, JSON.stringify({ v: 1, member, at }))
      .exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('revocation transaction aborted');
    this.#record(member, at);
  }

  /**
   * Whether a token of a session authenticated at `authenticatedAt` (seconds) was revoked since;
   * from memory, no round trip. Throws `RevocationsUnavailable` while the pod may have missed a
   * revocation.
   */
  isRevoked(tenantId: string, accountId: string, authenticatedAt: number): boolean {
    if (!this.#synced || this.#subscriber?.status !== 'ready') throw new RevocationsUnavailable();
    const entry = this.#known.get(memberOf(tenantId, accountId));
    return entry !== undefined && authenticatedAt < entry.at;
  }

  get synced(): boolean {
    return this.#synced && this.#subscriber?.status === 'ready';
  }

  /** Subscribes on `subscriber` (a connection for pub/sub only) and reads every revocation. */
  async listen(subscriber: Redis): Promise<void> {
    this.#subscriber = subscriber;
    const onMessage = (channel: string, raw: string) => {
      if (channel !== this.#channel) return;
      const message = RevocationMessage.safeParse(safeJson(raw));
      if (message.success) this.#record(message.data.member, message.data.at);
      else this.#logger?.warn('ignored a malformed revocation message');
    };
    // Whatever was published while the connection was down is lost: not in sync until re-read.
    const onClose = () => {
      this.#epoch++;
      this.#synced = false;
    };
    const onReady = () => void this.#subscribeAndSync();
    subscriber.on('message', onMessage);
    subscriber.on('close', onClose);
    subscriber.on('ready', onReady);
    this.#detach = () => {
      subscriber.off('message', onMessage);
      subscriber.off('close', onClose);
      subscriber.off('ready', onReady);
    };
    await this.#subscribeAndSync();
    this.#timer = this.#clock.setInterval(() => {
      this.#resync ??= this.#sync().finally(() => {
        this.#resync = undefined;
      });
    }, this.#resyncMs);
    this.#heartbeat = this.#clock.setInterval(() => {
      if (this.#subscriber?.status !== 'ready') return;
      if (!this.#synced) {
        // Reconnected, but the re-read failed (Redis's other connection was not back yet): again.
        this.#resync ??= (
          this.#subscribedEpoch === this.#epoch ? this.#sync() : this.#subscribeAndSync()
        ).finally(() => {
          this.#resync = undefined;
        });
        return;
      }
      if (this.#pinging) return;
      this.#pinging = true;
      void this.#checkAlive().finally(() => {
        this.#pinging = false;
      });
    }, this.#heartbeatMs);
  }

  close(): void {
    this.#timer?.cancel();
    this.#heartbeat?.cancel();
    this.#detach?.();
    this.#synced = false;
  }

  /** Subscribe first, then read: a revocation published in between arrives as a message. */
  async #subscribeAndSync(): Promise<void> {
    const epoch = this.#epoch;
    try {
      await this.#subscriber?.subscribe(this.#channel);
    } catch (error) {
      this.#logger?.warn({ err: describe(error) }, 'revocations: subscribing failed');
      return;
    }
    if (this.#epoch === epoch) this.#subscribedEpoch = epoch;
    await this.#sync();
  }

  /** Reads every revocation of the last token lifetime; they only ever expire, so merging is exact. */
  async #sync(): Promise<void> {
    const epoch = this.#epoch;
    const subscribed = this.#subscribedEpoch === epoch;
    if (subscribed && !(await this.#checkAlive())) return;
    try {
      const since = Math.floor(this.#clock.now() / 1000) - this.#horizonSeconds;
      const flat = await this.#redis.zrangebyscore(this.#setKey, since, '+inf', 'WITHSCORES');
      for (let i = 0; i + 1 < flat.length; i += 2) this.#record(flat[i] as string, Number(flat[i + 1]));
      const now = this.#clock.now();
      for (const [key, entry] of this.#known) if (entry.until <= now) this.#known.delete(key);
      // In sync only if the subscription was live for the whole read.
      if (subscribed && this.#epoch === epoch && this.#subscriber?.status === 'ready') this.#synced = true;
    } catch (error) {
      this.#logger?.warn({ err: describe(error) }, 'revocations: re-reading from Redis failed');
    }
  }

  /**
   * A connection can die without a 'close' (a stalled server, a half-open TCP connection, an idle
   * timeout in between): a subscriber that does not answer a PING is dropped and reconnected.
   */
  async #checkAlive(): Promise<boolean> {
    if (await answers(this.#subscriber, this.#clock, this.#pingTimeoutMs)) return true;
    if (this.#subscriber?.status !== 'ready') return false;
    this.#epoch++;
    this.#synced = false;
    this.#subscriber.disconnect(true);
    this.#logger?.warn(
      'revocations: the subscription stopped answering; tokens are refused until it is back in sync',
    );
    return false;
  }

  #record(key: string, at: number): void {
    const previous = this.#known.get(key);
    if (previous && previous.at >= at) return;
    this.#known.set(key, { at, until: (at + this.#horizonSeconds) * 1000 });
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}

/** Whether a (subscribed) connection answers a PING within `ms`. */
async function answers(connection: Redis | undefined, clock: Clock, ms: number): Promise<boolean> {
  if (connection?.status !== 'ready') return false;
  let timer: Timer | undefined;
  const late = new Promise<false>((resolve) => {
    timer = clock.setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([connection.ping().then(() => true as const), late]);
  } catch {
    return false;
  } finally {
    timer?.cancel();
  }
}
