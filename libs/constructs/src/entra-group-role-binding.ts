import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';

export interface EntraGroupRoleBindingProps {
  /** RoleBinding name. */
  readonly name: string;
  /** Namespace the access is limited to. */
  readonly namespace: string;
  /** Object id of the Microsoft Entra group (AKS-managed Entra integration presents group object ids). */
  readonly groupObjectId: string;
  /** ClusterRole granted inside the namespace, e.g. the built-in `view` or `edit`. */
  readonly clusterRole: string;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Grants a Microsoft Entra group a ClusterRole within one namespace (a RoleBinding, never a ClusterRoleBinding):
 * namespace-scoped access for teams, while cluster admins come from the cluster's admin group.
 * @see https://learn.microsoft.com/azure/aks/azure-ad-rbac
 */
export class EntraGroupRoleBinding extends Construct {
  constructor(scope: Construct, id: string, props: EntraGroupRoleBindingProps) {
    super(scope, id);
    if (!GUID.test(props.groupObjectId)) {
      throw new Error(
        `EntraGroupRoleBinding ${props.namespace}/${props.name}: groupObjectId "${props.groupObjectId}" is not a GUID; use the group's object id, not its name`,
      );
    }
    if (props.clusterRole === 'cluster-admin') {
      throw new Error(
        `EntraGroupRoleBinding ${props.namespace}/${props.name}: cluster-admin is not a namespace role; grant admin, edit or view`,
      );
    }
    const binding = new RoleBinding({
      metadata: { name: props.name, namespace: props.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: props.clusterRole },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: props.groupObjectId }],
    });
    new ApiObject(this, 'Resource', binding.toJSON());
  }
}
