import type { Redis } from 'ioredis';
import { z } from 'zod';
import { systemClock } from '../clock.ts';
import { RegistryError } from './errors.ts';

/**
 * Registry invalidations over Redis pub/sub. The operator publishes one after every registry write;
 * every API pod drops its cached copy of that record on receipt. The channel name carries the
 * message version, so a future v2 can run beside v1 during a rolling upgrade.
 */
export const INVALIDATION_CHANNEL = 'atrium:registry:v1';

export const InvalidationMessage = z.strictObject({
  v: z.literal(1),
  kind: z.enum(['tenant', 'cluster']),
  /** Tenant id or cluster name. */
  id: z.string().min(1).max(63),
  /** Generation of the record after the write, when known; lets a cache ignore older news. */
  generation: z.int().min(0).optional(),
  /** Subdomain(s) whose mapping may have changed, so caches keyed by host drop them too. */
  subdomains: z.array(z.string().min(1).max(63)).max(4).optional(),
  at: z.iso.datetime(),
});
export type InvalidationMessage = z.infer<typeof InvalidationMessage>;

export function encodeInvalidation(message: Omit<InvalidationMessage, 'v' | 'at'> & { at?: string }): string {
  return JSON.stringify(
    InvalidationMessage.parse({ v: 1, at: systemClock.date().toISOString(), ...message }),
  );
}

export function decodeInvalidation(raw: string): InvalidationMessage {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (cause) {
    throw new RegistryError('INVALID_MESSAGE', { reason: 'not JSON' }, { cause });
  }
  const parsed = InvalidationMessage.safeParse(json);
  if (!parsed.success)
    throw new RegistryError('INVALID_MESSAGE', { reason: 'schema' }, { cause: parsed.error });
  return parsed.data;
}

/** Publishes an invalidation; resolves with the number of subscribers that received it. */
export async function publishInvalidation(
  redis: Redis,
  message: Omit<InvalidationMessage, 'v' | 'at'>,
): Promise<number> {
  return redis.publish(INVALIDATION_CHANNEL, encodeInvalidation(message));
}

export interface InvalidationSubscription {
  close(): Promise<void>;
}

/**
 * Subscribes `subscriber` (a connection dedicated to pub/sub, as Redis requires) to the channel.
 * Malformed messages go to `onInvalid` and are otherwise ignored. ioredis re-subscribes after a
 * reconnect; `onReconnect` lets the caller drop its whole cache, since messages sent while it was
 * disconnected are lost.
 */
export async function subscribeInvalidations(
  subscriber: Redis,
  handlers: {
    onMessage: (message: InvalidationMessage) => void;
    onInvalid?: (error: RegistryError) => void;
    onReconnect?: () => void;
  },
): Promise<InvalidationSubscription> {
  const onMessage = (channel: string, raw: string) => {
    if (channel !== INVALIDATION_CHANNEL) return;
    try {
      handlers.onMessage(decodeInvalidation(raw));
    } catch (error) {
      if (error instanceof RegistryError) handlers.onInvalid?.(error);
      else throw error;
    }
  };
  let readyOnce = false;
  const onReady = () => {
    if (readyOnce) handlers.onReconnect?.();
    readyOnce = true;
  };
  subscriber.on('message', onMessage);
  subscriber.on('ready', onReady);
  if (subscriber.status === 'ready') readyOnce = true;
  await subscriber.subscribe(INVALIDATION_CHANNEL);
  return {
    close: async () => {
      subscriber.off('message', onMessage);
      subscriber.off('ready', onReady);
      // Only a live connection can unsubscribe; a closed or reconnecting one would queue it forever.
      if (subscriber.status === 'ready') await subscriber.unsubscribe(INVALIDATION_CHANNEL);
    },
  };
}
