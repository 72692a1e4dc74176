import type { Logger } from 'pino';
import type { Clock, Timer } from '../../contract/src/clock.ts';
import type { TenantRegistry } from '../../contract/src/registry/index.ts';
import { describeError } from './safe-message.ts';

/**
 * Re-seals registry records with the keyring's newest key, in the background: when a newer key is
 * added to the keyring (the greatest key id is the write key), every record sealed with an older
 * one is re-sealed, `batch` records every `intervalMs` — a bounded rate, stateless (the records
 * say which key sealed them), so a new leader simply carries on. It reports how many records are
 * left on older keys (a metric and a log line per batch) and says once when none is: from then on
 * the older keys can leave the keyring. Removing one too early is refused at start (see
 * TenantRegistry.assertKeyringCovers).
 */
export class RegistryResealer {
  readonly #registry: TenantRegistry;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #batch: number;
  readonly #intervalMs: number;
  #timer: Timer | undefined;
  #running: Promise<void> | undefined;
  /** Records sealed with another key than the newest, as last counted (null: not counted yet). */
  #left: number | null = null;

  constructor(options: {
    registry: TenantRegistry;
    clock: Clock;
    logger: Logger;
    batch?: number;
    intervalMs?: number;
  }) {
    this.#registry = options.registry;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#batch = options.batch ?? 50;
    this.#intervalMs = options.intervalMs ?? 10_000;
  }

  /** Records left on older keys (null until the first count). */
  get left(): number | null {
    return this.#left;
  }

  start(): void {
    this.#timer = this.#clock.setInterval(() => {
      this.#running ??= this.pass().finally(() => {
        this.#running = undefined;
      });
    }, this.#intervalMs);
    this.#running = this.pass().finally(() => {
      this.#running = undefined;
    });
  }

  async stop(): Promise<void> {
    this.#timer?.cancel();
    await this.#running;
  }

  /** One batch, then a count of what is left. */
  async pass(): Promise<void> {
    try {
      const resealed = await this.#registry.resealBatch(this.#batch);
      const counts = await this.#registry.sealingKeys();
      const primary = this.#registry.primaryKeyId;
      const left = [...counts].filter(([kid]) => kid !== primary).reduce((n, [, count]) => n + count, 0);
      const before = this.#left;
      this.#left = left;
      if (left > 0) {
        this.#logger.info({ resealed, left }, 'registry records left on older keys');
        return;
      }
      // Nothing left, and every write seals with the newest key: no need to look again until the
      // keyring changes (which restarts the process).
      this.#timer?.cancel();
      if ((before ?? 0) > 0) {
        this.#logger.info(
          { key: primary },
          'every registry record is sealed with the newest key: older keys can leave the keyring',
        );
      }
    } catch (error) {
      this.#logger.warn(
        { err: describeError(error) },
        're-sealing registry records failed; retried next time',
      );
    }
  }
}
