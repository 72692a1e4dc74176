import { z } from 'zod';
import { Conditions } from './condition.ts';
import { API_VERSION, ObjectMeta } from './tenant.ts';

/**
 * The MongoCluster resource (atrium.dev/v1alpha1, cluster-scoped) after defaulting. Kept in
 * agreement with crds/mongoclusters.atrium.dev.yaml by a test.
 */
export const MongoClusterSpec = z.object({
  connectionSecretRef: z.object({
    name: z.string().min(1).max(253),
    namespace: z.string().min(1).max(63),
    key: z.string().max(253).default('uri'),
  }),
  tenantHost: z.string().max(1024).optional(),
  labels: z.record(z.string(), z.string().max(63)).optional(),
  region: z.string().max(63).optional(),
  capacity: z.int().min(0).optional(),
  cordoned: z.boolean().default(false),
  weight: z.int().min(0).max(1000).default(100),
});

export const MongoClusterStatusBlock = z.object({
  observedGeneration: z.int().min(0).optional(),
  reachable: z.boolean().optional(),
  serverVersion: z.string().max(64).optional(),
  flavour: z.enum(['mongodb', 'ferretdb']).optional(),
  tenantCount: z.int().min(0).optional(),
  conditions: Conditions.optional(),
});

export const MongoCluster = z.object({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('MongoCluster'),
  metadata: ObjectMeta,
  spec: MongoClusterSpec,
  status: MongoClusterStatusBlock.optional(),
});

export type MongoClusterSpec = z.infer<typeof MongoClusterSpec>;
export type MongoClusterStatusBlock = z.infer<typeof MongoClusterStatusBlock>;
export type MongoCluster = z.infer<typeof MongoCluster>;

export const MONGO_CLUSTER_PLURAL = 'mongoclusters';
