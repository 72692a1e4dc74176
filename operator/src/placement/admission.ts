import type { Isolation, Plan } from '../../../contract/src/registry/index.ts';
import type { AllowedTenants, LabelSelector } from '../resources/mongo-cluster.ts';

/**
 * Whether a MongoCluster takes a Tenant: its namespace, plan and isolation must be among what the
 * cluster's `allowedTenants` admits. Which clusters a namespace may use is the platform team's
 * decision (they own MongoClusters); a Tenant cannot grant itself one.
 */
export type AdmissionRefusal = 'NamespaceNotAllowed' | 'PlanNotAllowed' | 'IsolationNotAllowed';

export interface TenantRequest {
  readonly namespace: string;
  /** The namespace's labels (none when the namespace is not known). */
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly plan: Plan;
  readonly isolation: Isolation;
}

export function admissionRefusal(
  allowed: AllowedTenants | undefined,
  request: TenantRequest,
): AdmissionRefusal | null {
  const namespaces = allowed?.namespaces;
  if (namespaces?.from === 'Selector' && !selectorMatches(namespaces.selector, request.namespaceLabels)) {
    return 'NamespaceNotAllowed';
  }
  if (allowed?.plans && !allowed.plans.includes(request.plan)) return 'PlanNotAllowed';
  if (allowed?.isolation && !allowed.isolation.includes(request.isolation)) return 'IsolationNotAllowed';
  return null;
}

/** metav1.LabelSelector semantics; an empty or missing selector matches nothing (deny by default). */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  const exact = Object.entries(selector?.matchLabels ?? {});
  const expressions = selector?.matchExpressions ?? [];
  if (exact.length === 0 && expressions.length === 0) return false;
  if (!exact.every(([key, value]) => labels[key] === value)) return false;
  return expressions.every(({ key, operator, values = [] }) => {
    const value = Object.hasOwn(labels, key) ? labels[key] : undefined;
    if (operator === 'In') return value !== undefined && values.includes(value);
    if (operator === 'NotIn') return value === undefined || !values.includes(value);
    if (operator === 'Exists') return value !== undefined;
    return value === undefined; // DoesNotExist
  });
}

export function describeAdmissionRefusal(
  cluster: string,
  refusal: AdmissionRefusal,
  request: TenantRequest,
): string {
  switch (refusal) {
    case 'NamespaceNotAllowed':
      return `MongoCluster ${cluster} does not take Tenants of namespace ${request.namespace}`;
    case 'PlanNotAllowed':
      return `MongoCluster ${cluster} does not serve the ${request.plan} plan`;
    case 'IsolationNotAllowed':
      return `MongoCluster ${cluster} does not serve ${request.isolation} isolation`;
  }
}
