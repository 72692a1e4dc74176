import * as k8s from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { type Clock, systemClock, type Timer } from '../../../contract/src/clock.ts';
import { describeError } from '../safe-message.ts';
import { makeTimedApiClient } from './clients.ts';

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go does it: the leader renews the
 * lease every `retryMs`; a candidate takes it over when the holder has not renewed for
 * `leaseDurationMs` *as observed locally* (never comparing clocks between machines); a leader that
 * cannot renew within `renewDeadlineMs` steps down. Writes use the Lease's resourceVersion, so
 * two candidates cannot both win a round.
 */
export interface LeaderElectionOptions {
  readonly kubeConfig: k8s.KubeConfig;
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryMs: number;
  readonly logger: Logger;
  /** Time and timers (default: the system clock). */
  readonly clock?: Clock;
}

export interface LeadershipCallbacks {
  onStartedLeading(): void;
  onStoppedLeading(): void;
}

export class LeaderElector {
  readonly #options: LeaderElectionOptions;
  readonly #api: k8s.CoordinationV1Api;
  readonly #clock: Clock;
  #leading = false;
  #observed: { holder: string; renewTime: string; at: number } | null = null;
  #lastRenewAt = 0;
  #timer: Timer | null = null;
  /** The acquire/renew round in progress, so a release never races a renewal. */
  #round: Promise<void> = Promise.resolve();
  #stopped = false;
  #callbacks: LeadershipCallbacks | null = null;

  constructor(options: LeaderElectionOptions) {
    this.#options = options;
    // A renewal that hangs (a stalled API server) must fail in time for the leader to step down
    // before its lease can expire elsewhere.
    this.#api = makeTimedApiClient(
      options.kubeConfig,
      k8s.CoordinationV1Api,
      Math.max(500, Math.floor(options.renewDeadlineMs / 2)),
    );
    this.#clock = options.clock ?? systemClock;
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  run(callbacks: LeadershipCallbacks): void {
    this.#callbacks = callbacks;
    this.#stopped = false;
    this.#round = this.#tick();
  }

  /** Stops campaigning; a leader hands the lease back so a successor need not wait for it to expire. */
  async stop({ release = true } = {}): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    await this.#round;
    if (this.#leading && release) {
      // A conflict means someone wrote the Lease between our read and write: read again.
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await this.#release();
          break;
        } catch (error) {
          this.#options.logger.warn(
            { lease: this.#options.name, err: describeError(error) },
            'lease release failed',
          );
        }
      }
    }
    this.#setLeading(false);
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    try {
      const renewed = await this.#tryAcquireOrRenew();
      if (renewed) {
        this.#lastRenewAt = this.#clock.now();
        this.#setLeading(true);
      } else if (this.#leading) {
        this.#setLeading(false);
      }
    } catch (error) {
      this.#options.logger.warn(
        { lease: this.#options.name, err: describeError(error) },
        'lease update failed',
      );
      if (this.#leading && this.#clock.now() - this.#lastRenewAt > this.#options.renewDeadlineMs)
        this.#setLeading(false);
    }
    if (!this.#stopped) {
      this.#timer = this.#clock.setTimeout(
        () => {
          this.#round = this.#tick();
        },
        this.#options.retryMs,
        { keepAlive: true },
      );
    }
  }

  #setLeading(leading: boolean): void {
    if (leading === this.#leading) return;
    this.#leading = leading;
    this.#options.logger.info(
      { lease: this.#options.name, identity: this.#options.identity, leading },
      'leadership changed',
    );
    if (leading) this.#callbacks?.onStartedLeading();
    else this.#callbacks?.onStoppedLeading();
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity, leaseDurationMs } = this.#options;
    const now = new k8s.V1MicroTime(this.#clock.now());
    const seconds = Math.ceil(leaseDurationMs / 1000);
    let lease: k8s.V1Lease;
    try {
      lease = await this.#api.readNamespacedLease({ name, namespace });
    } catch (error) {
      if (!(error instanceof k8s.ApiException) || error.code !== 404) throw error;
      await this.#api.createNamespacedLease({
        namespace,
        body: {
          metadata: { name, namespace },
          spec: {
            holderIdentity: identity,
            leaseDurationSeconds: seconds,
            acquireTime: now,
            renewTime: now,
            leaseTransitions: 0,
          },
        },
      });
      return true;
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const renewTime = spec.renewTime ? new Date(spec.renewTime).toISOString() : '';
    if (!this.#observed || this.#observed.holder !== holder || this.#observed.renewTime !== renewTime) {
      this.#observed = { holder, renewTime, at: this.#clock.now() };
    }
    const heldByUs = holder === identity;
    const expired = holder === '' || this.#clock.now() - this.#observed.at > leaseDurationMs;
    if (!heldByUs && !expired) return false;
    lease.spec = {
      ...spec,
      holderIdentity: identity,
      leaseDurationSeconds: seconds,
      renewTime: now,
      ...(heldByUs ? {} : { acquireTime: now, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 }),
    };
    try {
      await this.#api.replaceNamespacedLease({ name, namespace, body: lease });
    } catch (error) {
      if (error instanceof k8s.ApiException && error.code === 409) return false;
      throw error;
    }
    return true;
  }

  async #release(): Promise<void> {
    const { namespace, name, identity } = this.#options;
    const lease = await this.#api.readNamespacedLease({ name, namespace });
    if (lease.spec?.holderIdentity !== identity) return;
    lease.spec = {
      ...lease.spec,
      holderIdentity: '',
      leaseDurationSeconds: 1,
      renewTime: new k8s.V1MicroTime(this.#clock.now()),
    };
    await this.#api.replaceNamespacedLease({ name, namespace, body: lease });
  }
}
