import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { TenantPhase } from './resources/tenant.ts';

/**
 * The operator's Prometheus metrics. Labels are bounded: controller, result, phase, cluster —
 * never a tenant id.
 */
export interface OperatorMetrics {
  readonly reconciles: Counter<'controller' | 'result'>;
  readonly reconcileSeconds: Histogram<'controller'>;
  readonly queueDepth: Gauge<'controller'>;
  readonly tenantsByPhase: Gauge<'phase'>;
  readonly tenantsByCluster: Gauge<'cluster'>;
  readonly tenantsBySchemaVersion: Gauge<'version'>;
  readonly invalidationsPending: Gauge;
  readonly recordsOnOlderKeys: Gauge;
  readonly informerLists: Counter<'informer'>;
}

export function createOperatorMetrics(
  registry: Registry,
  sources: {
    queueDepth: (controller: 'tenant' | 'mongocluster') => number;
    invalidationsPending: () => number;
    recordsOnOlderKeys: () => number | null;
    tenantPhases: () => Iterable<{
      phase: TenantPhase | undefined;
      cluster: string | undefined;
      schemaVersion: number | undefined;
    }>;
  },
): OperatorMetrics {
  const registers = [registry];
  return {
    reconciles: new Counter({
      name: 'atrium_operator_reconciles_total',
      help: 'Reconciles by controller and result (success, error).',
      labelNames: ['controller', 'result'],
      registers,
    }),
    reconcileSeconds: new Histogram({
      name: 'atrium_operator_reconcile_duration_seconds',
      help: 'Time one reconcile took.',
      labelNames: ['controller'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'atrium_operator_queue_depth',
      help: 'Keys waiting in the work queue.',
      labelNames: ['controller'],
      registers,
      collect() {
        this.set({ controller: 'tenant' }, sources.queueDepth('tenant'));
        this.set({ controller: 'mongocluster' }, sources.queueDepth('mongocluster'));
      },
    }),
    tenantsByPhase: new Gauge({
      name: 'atrium_operator_tenants',
      help: 'Tenants by phase, as observed.',
      labelNames: ['phase'],
      registers,
      collect() {
        this.reset();
        for (const { phase } of sources.tenantPhases()) this.inc({ phase: phase ?? 'Pending' });
      },
    }),
    informerLists: new Counter({
      name: 'atrium_operator_informer_lists_total',
      help: 'Full lists an informer read from the API server (start, 410 Gone, periodic relist); a watch that failed otherwise resumes without one.',
      labelNames: ['informer'],
      registers,
    }),
    recordsOnOlderKeys: new Gauge({
      name: 'atrium_operator_registry_records_on_older_keys',
      help: 'Registry records still sealed with another key than the newest (0: older keys can leave the keyring).',
      registers,
      collect() {
        const left = sources.recordsOnOlderKeys();
        if (left !== null) this.set(left);
      },
    }),
    invalidationsPending: new Gauge({
      name: 'atrium_operator_invalidations_pending',
      help: 'Registry invalidations Redis has not taken yet (retried with backoff).',
      registers,
      collect() {
        this.set(sources.invalidationsPending());
      },
    }),
    tenantsByCluster: new Gauge({
      name: 'atrium_operator_tenants_by_cluster',
      help: 'Tenants placed on each MongoCluster.',
      labelNames: ['cluster'],
      registers,
      collect() {
        this.reset();
        for (const { cluster } of sources.tenantPhases()) if (cluster) this.inc({ cluster });
      },
    }),
    tenantsBySchemaVersion: new Gauge({
      name: 'atrium_operator_tenants_by_schema_version',
      help: "Tenants by the schema version of their database, as observed (a migration's rollout).",
      labelNames: ['version'],
      registers,
      collect() {
        this.reset();
        for (const { schemaVersion } of sources.tenantPhases())
          if (schemaVersion !== undefined) this.inc({ version: String(schemaVersion) });
      },
    }),
  };
}
