import * as k8s from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { Keyring, RegistryCipher, TenantRegistry } from '../../contract/src/registry/index.ts';
import {
  OperatorConfigSchema,
  redisClientOptions,
  registryClientOptions,
} from '../../operator/src/config.ts';
import { API_VERSION, GROUP, VERSION } from '../../operator/src/resources/tenant.ts';
import { testServers, uniqueName } from '../harness/env.ts';
import { type FaultyLink, hostOf, Toxiproxy, through } from '../harness/toxiproxy.ts';
import { type OperatorEnv, operatorEnv } from '../operator/operator-fixtures.ts';

type Teardown = { teardown: (fn: () => Promise<void> | void) => void };

/** The operator's production timeouts, shortened for tests. */
export const FAULT_TIMEOUTS = OperatorConfigSchema.parse({
  REGISTRY_MONGO_URI: 'mongodb://unused',
  REDIS_URL: 'redis://unused',
  ATRIUM_REGISTRY_KEYS: 'unused',
  REGISTRY_SOCKET_TIMEOUT_MS: '1500',
  CLUSTER_SOCKET_TIMEOUT_MS: '1500',
  KUBE_REQUEST_TIMEOUT_MS: '1500',
  REDIS_COMMAND_TIMEOUT_MS: '500',
});

/**
 * An operator env (test/operator) with Toxiproxy between the operator and what it depends on:
 * each `…Through` helper gives a client of a dependency that goes through a link of this test.
 */
export interface FaultEnv extends OperatorEnv {
  readonly proxies: Toxiproxy;
  /** A link of this test in front of `uri`'s host. */
  link(what: string, uri: string): Promise<FaultyLink>;
  /** The operator ServiceAccount's kubeconfig, reaching the API server through `link`. */
  kubeConfigThrough(link: FaultyLink): k8s.KubeConfig;
  /** A registry client (the operator's production options) through `link`. */
  registryThrough(link: FaultyLink): TenantRegistry;
  /** A Redis client (the operator's production options) through `link`. */
  redisThrough(link: FaultyLink): Redis;
  /** A MongoCluster whose admin Secret holds `uri` (e.g. through a link). */
  createMongoClusterAt(name: string, uri: string, spec?: Record<string, unknown>): Promise<void>;
}

export async function faultEnv(t: Teardown): Promise<FaultEnv> {
  const env = await operatorEnv(t);
  const proxies = new Toxiproxy(testServers.toxiproxyUrl());
  t.teardown(() => proxies.close());
  const clients: Array<{ close(): unknown }> = [];
  t.teardown(async () => {
    for (const client of clients) await client.close();
  });
  return {
    ...env,
    proxies,
    link: (what, uri) => proxies.link(uniqueName(what), hostOf(uri)),
    kubeConfigThrough(link) {
      const cluster = env.operatorKubeConfig.getCurrentCluster();
      const user = env.operatorKubeConfig.getCurrentUser();
      if (!cluster || !user) throw new Error('no cluster or user in the operator kubeconfig');
      const kc = new k8s.KubeConfig();
      kc.loadFromOptions({
        clusters: [{ ...cluster, server: `https://${link.address}` }],
        users: [user],
        contexts: [{ name: 'through', cluster: cluster.name, user: user.name }],
        currentContext: 'through',
      });
      return kc;
    },
    registryThrough(link) {
      const client = new MongoClient(
        through(testServers.mongoUris()[0] ?? '', link.address),
        registryClientOptions(FAULT_TIMEOUTS),
      );
      clients.push(client);
      return new TenantRegistry({
        db: client.db(env.registryDb.databaseName),
        cipher: new RegistryCipher(Keyring.parse(env.registryKeys)),
      });
    },
    redisThrough(link) {
      const redis = new Redis(
        through(testServers.redisUrl(), link.address),
        redisClientOptions(FAULT_TIMEOUTS),
      );
      redis.on('error', () => {});
      clients.push({ close: () => redis.disconnect() });
      return redis;
    },
    async createMongoClusterAt(name, uri, spec = {}) {
      await env.core.createNamespacedSecret({
        namespace: env.namespace,
        body: { metadata: { name: `${name}-admin` }, stringData: { uri } },
      });
      await env.custom.createClusterCustomObject({
        group: GROUP,
        version: VERSION,
        plural: 'mongoclusters',
        body: {
          apiVersion: API_VERSION,
          kind: 'MongoCluster',
          metadata: { name, labels: { 'atrium.dev/test': env.clusterLabel } },
          spec: { connectionSecretRef: { name: `${name}-admin`, namespace: env.namespace }, ...spec },
        },
      });
      t.teardown(async () => {
        await env.custom
          .deleteClusterCustomObject({ group: GROUP, version: VERSION, plural: 'mongoclusters', name })
          .catch(() => undefined);
      });
    },
  };
}
