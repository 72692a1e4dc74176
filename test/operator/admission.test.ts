import test from 'ava';
import { admissionRefusal, selectorMatches } from '../../operator/src/placement/admission.ts';

const request = {
  namespace: 'school-a',
  namespaceLabels: { tier: 'gold', region: 'eu' },
  plan: 'standard' as const,
  isolation: 'shared' as const,
};

test('selectorMatches: metav1.LabelSelector semantics; an empty selector matches nothing', (t) => {
  const labels = request.namespaceLabels;
  t.true(selectorMatches({ matchLabels: { tier: 'gold' } }, labels));
  t.false(selectorMatches({ matchLabels: { tier: 'silver' } }, labels));
  t.true(
    selectorMatches({ matchExpressions: [{ key: 'region', operator: 'In', values: ['eu', 'us'] }] }, labels),
  );
  t.false(
    selectorMatches({ matchExpressions: [{ key: 'region', operator: 'NotIn', values: ['eu'] }] }, labels),
  );
  t.true(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels));
  t.true(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels));
  t.false(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels));
  t.false(selectorMatches({}, labels));
  t.false(selectorMatches(undefined, labels));
  t.false(
    selectorMatches(
      { matchLabels: { tier: 'gold' }, matchExpressions: [{ key: 'x', operator: 'Exists' }] },
      labels,
    ),
    'every requirement must hold',
  );
});

test('admissionRefusal: namespace, then plan, then isolation; unset admits everything', (t) => {
  t.is(admissionRefusal(undefined, request), null);
  t.is(admissionRefusal({}, request), null);
  t.is(admissionRefusal({ namespaces: { from: 'All' } }, request), null);
  t.is(admissionRefusal({ namespaces: { from: 'Selector' } }, request), 'NamespaceNotAllowed');
  t.is(
    admissionRefusal(
      { namespaces: { from: 'Selector', selector: { matchLabels: { tier: 'gold' } } } },
      request,
    ),
    null,
  );
  t.is(admissionRefusal({ plans: ['enterprise'] }, request), 'PlanNotAllowed');
  t.is(admissionRefusal({ plans: ['standard'], isolation: ['dedicated'] }, request), 'IsolationNotAllowed');
});
