import type { Logger } from 'pino';
import type { Operator } from './controller.ts';
import type { LeaderElector } from './kube/leader-election.ts';
import { describeError } from './safe-message.ts';

/**
 * One operator replica: it campaigns for the Lease and runs the controllers only while it leads.
 * Losing the lease stops the controllers (letting the reconcile in flight finish), so two replicas
 * never reconcile at once for longer than that reconcile.
 */
export class OperatorReplica {
  readonly #elector: LeaderElector;
  readonly #createOperator: () => Operator;
  readonly #logger: Logger;
  #operator: Operator | null = null;
  #transition: Promise<void> = Promise.resolve();

  constructor(options: { elector: LeaderElector; createOperator: () => Operator; logger: Logger }) {
    this.#elector = options.elector;
    this.#createOperator = options.createOperator;
    this.#logger = options.logger;
  }

  get operator(): Operator | null {
    return this.#operator;
  }

  get isLeader(): boolean {
    return this.#elector.isLeader;
  }

  start(): void {
    this.#elector.run({
      onStartedLeading: () => {
        this.#transition = this.#transition.then(async () => {
          const operator = this.#createOperator();
          this.#operator = operator;
          await operator
            .start()
            .catch((error: unknown) =>
              this.#logger.error({ err: describeError(error) }, 'controllers failed to start'),
            );
        });
      },
      onStoppedLeading: () => {
        this.#transition = this.#transition.then(() => this.#stopOperator());
      },
    });
  }

  /** Graceful: finish the reconcile in flight, then hand the lease back. */
  async stop(): Promise<void> {
    await this.#transition;
    await this.#stopOperator();
    await this.#elector.stop({ release: true });
  }

  /** What a killed process leaves behind: no more renewals, no release, controllers gone. */
  async abandon(): Promise<void> {
    await this.#elector.stop({ release: false });
    await this.#transition;
    await this.#stopOperator();
  }

  async #stopOperator(): Promise<void> {
    const operator = this.#operator;
    this.#operator = null;
    await operator?.stop();
  }
}
