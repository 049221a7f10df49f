import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { EntraGroupRoleBinding } from './entra-group-role-binding.ts';

function render(groupObjectId: string, clusterRole = 'view') {
  const chart = Testing.chart();
  new EntraGroupRoleBinding(chart, 'Readers', {
    name: 'a0042-readers',
    namespace: 'a0042',
    groupObjectId,
    clusterRole,
  });
  return Testing.synth(chart)[0];
}

describe('EntraGroupRoleBinding', () => {
  it('binds the group (by object id) to the ClusterRole inside the namespace only', () => {
    const binding = render('00000000-0000-0000-0003-000000000020');
    expect(binding.kind).toBe('RoleBinding');
    expect(binding.metadata).toStrictEqual({ name: 'a0042-readers', namespace: 'a0042' });
    expect(binding.roleRef).toStrictEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    expect(binding.subjects).toStrictEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: '00000000-0000-0000-0003-000000000020' },
    ]);
  });

  it('fails on a group name instead of an object id, and on cluster-admin', () => {
    expect(() => render('workload-readers')).toThrow(
      /groupObjectId "workload-readers" is not a GUID; use the group's object id/,
    );
    expect(() => render('00000000-0000-0000-0003-000000000020', 'cluster-admin')).toThrow(
      /cluster-admin is not a namespace role/,
    );
  });
});
