import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TenantActivity } from './busiest-tenants.ts';

/**
 * The API's metrics, on a registry of its own (so several apps can live in one process, as in
 * tests). Labels are bounded: cluster, plan, route template and status class, never a tenant id.
 */
export function createMetrics() {
  const registry = new Registry();
  const seconds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
  /** Whether the pod holds every revocation (set by `watchRevocations` once they are read). */
  let revocationsSynced: () => boolean = () => false;
  /** The busiest tenants at scrape time (set by `watchBusiestTenants`). */
  let busiest: () => TenantActivity[] = () => [];
  /** One gauge of the busiest tenants: only they have a series, so cardinality stays bounded. */
  const busiestGauge = (name: string, help: string, value: (a: TenantActivity) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['tenant'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const activity of busiest()) this.set({ tenant: activity.tenantId }, value(activity));
      },
    });
  return {
    registry,
    requestDuration: new Histogram({
      name: 'atrium_http_request_duration_seconds',
      help: 'HTTP request latency by plan, route template, method and status class',
      labelNames: ['plan', 'route', 'method', 'status'] as const,
      buckets: seconds,
      registers: [registry],
    }),
    resolutionDuration: new Histogram({
      name: 'atrium_tenant_resolution_duration_seconds',
      help: 'Time to resolve and gate the tenant of a request',
      labelNames: ['source'] as const,
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1],
      registers: [registry],
    }),
    cacheLookups: new Counter({
      name: 'atrium_tenant_cache_lookups_total',
      help: 'Tenant look-ups by the layer that answered: memory, redis, registry, negative, stale (expired, served while the registry is unavailable)',
      labelNames: ['layer'] as const,
      registers: [registry],
    }),
    cacheRejected: new Counter({
      name: 'atrium_tenant_cache_rejected_total',
      help: 'Tenant entries read from Redis and not trusted, by reason: malformed, unknown-key, forged, mismatch, expired, unreadable',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    invalidations: new Counter({
      name: 'atrium_tenant_cache_invalidations_total',
      help: 'Registry invalidation messages applied',
      registers: [registry],
    }),
    poolsOpen: new Gauge({
      name: 'atrium_pools_open',
      help: 'MongoDB connection pools open, by cluster and kind (shared, dedicated)',
      labelNames: ['cluster', 'kind'] as const,
      registers: [registry],
    }),
    connections: new Gauge({
      name: 'atrium_pool_connections',
      help: 'Pooled MongoDB connections open, by cluster',
      labelNames: ['cluster'] as const,
      registers: [registry],
    }),
    handles: new Gauge({
      name: 'atrium_tenant_handles',
      help: 'Tenant database handles held',
      registers: [registry],
    }),
    evictions: new Counter({
      name: 'atrium_evictions_total',
      help: 'Tenant handles and pools released, by what and why (idle, lru, budget)',
      labelNames: ['what', 'reason'] as const,
      registers: [registry],
    }),
    breakerState: new Gauge({
      name: 'atrium_cluster_breaker_open',
      help: '1 while the circuit breaker of a cluster is open',
      labelNames: ['cluster'] as const,
      registers: [registry],
    }),
    shed: new Counter({
      name: 'atrium_requests_shed_total',
      help: 'Requests refused with 503 overloaded because the pod was serving MAX_IN_FLIGHT already',
      registers: [registry],
    }),
    registryBreakerState: new Gauge({
      name: 'atrium_registry_breaker_open',
      help: "1 while the registry's circuit breaker is open",
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'atrium_rate_limited_total',
      help: 'Requests refused by the per-tenant rate limit, by plan',
      labelNames: ['plan'] as const,
      registers: [registry],
    }),
    revocationsInSync: new Gauge({
      name: 'atrium_revocations_in_sync',
      help: '1 while the pod is in sync with the revocations in Redis; 0: it refuses every token (503 revocation-check-unavailable)',
      registers: [registry],
      collect() {
        this.set(revocationsSynced() ? 1 : 0);
      },
    }),
    busiestRequests: busiestGauge(
      'atrium_tenant_busiest_requests_per_second',
      'Requests per second of the busiest tenants of this pod (TOP_TENANTS by request rate and by error rate; decayed over TOP_TENANTS_HALF_LIFE_MS)',
      (a) => a.requestsPerSecond,
    ),
    busiestErrors: busiestGauge(
      'atrium_tenant_busiest_errors_per_second',
      '5xx answers per second of the busiest tenants of this pod (as atrium_tenant_busiest_requests_per_second)',
      (a) => a.errorsPerSecond,
    ),
    busiestLatency: busiestGauge(
      'atrium_tenant_busiest_mean_latency_seconds',
      'Mean time to answer of the busiest tenants of this pod (as atrium_tenant_busiest_requests_per_second)',
      (a) => a.meanSeconds,
    ),
    /** Reports the busiest tenants at every scrape. */
    watchBusiestTenants(source: () => TenantActivity[]): void {
      busiest = source;
    },
    /** Reports `synced` as atrium_revocations_in_sync at every scrape. */
    watchRevocations(synced: () => boolean): void {
      revocationsSynced = synced;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
