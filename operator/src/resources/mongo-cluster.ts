import { z } from 'zod';
import { Isolation, Plan } from '../../../contract/src/registry/index.ts';
import { Conditions } from './condition.ts';
import { API_VERSION, ObjectMeta } from './tenant.ts';

/**
 * The MongoCluster resource (atrium.dev/v1alpha1, cluster-scoped) after defaulting. Kept in
 * agreement with crds/mongoclusters.atrium.dev.yaml by a test.
 */
/** A Kubernetes label selector (metav1.LabelSelector). */
export const LabelSelector = z.object({
  matchLabels: z.record(z.string(), z.string().max(63)).optional(),
  matchExpressions: z
    .array(
      z.object({
        key: z.string().min(1).max(317),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string().max(63)).max(64).optional(),
      }),
    )
    .max(16)
    .optional(),
});
export type LabelSelector = z.infer<typeof LabelSelector>;

/** Which Tenants a cluster takes: the platform team's decision, not the Tenant's. */
export const AllowedTenants = z.object({
  namespaces: z
    .object({
      from: z.enum(['All', 'Selector']).default('All'),
      selector: LabelSelector.optional(),
    })
    .optional(),
  plans: z.array(Plan).max(3).optional(),
  isolation: z.array(Isolation).max(2).optional(),
});
export type AllowedTenants = z.infer<typeof AllowedTenants>;

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
  allowedTenants: AllowedTenants.optional(),
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
