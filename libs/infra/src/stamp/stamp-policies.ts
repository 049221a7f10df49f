/**
 * The reference's six Azure Policy assignments on the stamp's resource group, assigned before the cluster exists
 * (the cluster depends on them): restricted pod security (audit), HTTPS-only ingress, internal load balancers only,
 * read-only root file system (audit), CPU/memory limits, and allowed images = the fleet's ACR and MCR.
 */
import { BASELINE_NAMESPACE, CONTAINER_LIMIT_MAXIMA, FLUX_BOOTSTRAP } from '@aks-fleet/fleet';
import { idOf, resource, type ArmResource, type JsonObject } from '../arm/arm-template.ts';
import type { StampContext } from './stamp-context.ts';

const SYSTEM_NAMESPACES = ['kube-system', 'gatekeeper-system', 'azure-arc', FLUX_BOOTSTRAP.namespace];

export interface PolicyAssignmentSpec {
  /** Suffix of the assignment name. */
  readonly key: string;
  readonly displayName: string;
  /** Built-in policy (set) definition id. */
  readonly definitionId: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The allowed-images regex: images from the fleet registry or from MCR only. */
export function allowedImagesRegex(containerRegistry: string): string {
  return `^(${escapeRegex(`${containerRegistry}.azurecr.io`)}|${escapeRegex('mcr.microsoft.com')})\\/.+$`;
}

export function policyAssignmentSpecs(context: StampContext): PolicyAssignmentSpec[] {
  return [
    {
      key: 'pod-security-restricted',
      displayName: 'Kubernetes cluster pod security restricted standards for Linux-based workloads',
      definitionId: '/providers/Microsoft.Authorization/policySetDefinitions/42b8ef37-b724-4e24-bbc8-7a7708edfe00',
      parameters: { effect: 'audit', excludedNamespaces: [...SYSTEM_NAMESPACES, BASELINE_NAMESPACE] },
    },
    {
      key: 'https-ingress',
      displayName: 'Kubernetes clusters should be accessible only over HTTPS',
      definitionId: '/providers/Microsoft.Authorization/policyDefinitions/1a5b4dca-0b6f-4cf5-907c-56316bc1bf3d',
      parameters: { effect: 'deny', excludedNamespaces: [] },
    },
    {
      key: 'internal-load-balancers',
      displayName: 'Kubernetes clusters should use internal load balancers',
      definitionId: '/providers/Microsoft.Authorization/policyDefinitions/3fc4dc25-5baf-40d8-9b05-7fe74c1bc64e',
      parameters: { effect: 'deny', excludedNamespaces: [] },
    },
    {
      key: 'read-only-root-fs',
      displayName: 'Kubernetes cluster containers should run with a read only root file system',
      definitionId: '/providers/Microsoft.Authorization/policyDefinitions/df49d893-a74c-421d-bc95-c663042e5b80',
      parameters: { effect: 'audit', excludedNamespaces: SYSTEM_NAMESPACES },
    },
    {
      key: 'resource-limits',
      displayName:
        'Kubernetes cluster containers CPU and memory resource limits should not exceed the specified limits',
      definitionId: '/providers/Microsoft.Authorization/policyDefinitions/e345eecc-fa47-480f-9e88-67dcc122b164',
      parameters: {
        effect: 'deny',
        cpuLimit: `${CONTAINER_LIMIT_MAXIMA.cpuMillicores}m`,
        memoryLimit: `${CONTAINER_LIMIT_MAXIMA.memoryMiB}Mi`,
        excludedNamespaces: [...SYSTEM_NAMESPACES, BASELINE_NAMESPACE],
      },
    },
    {
      key: 'allowed-images',
      displayName: 'Kubernetes cluster containers should only use allowed images',
      definitionId: '/providers/Microsoft.Authorization/policyDefinitions/febd0533-8e55-448f-b837-bd0e06f16469',
      parameters: {
        effect: 'deny',
        allowedContainerImagesRegex: allowedImagesRegex(context.shared.containerRegistry),
        excludedNamespaces: SYSTEM_NAMESPACES,
      },
    },
  ];
}

/** Assignment name: `<cluster>-<key>`, at most 64 characters (resource-group scope limit). */
export function policyAssignmentName(context: StampContext, key: string): string {
  return `${context.names.aksCluster.slice(0, 63 - key.length)}-${key}`;
}

export function policyAssignmentIds(context: StampContext): string[] {
  return policyAssignmentSpecs(context).map((spec) =>
    idOf('Microsoft.Authorization/policyAssignments', policyAssignmentName(context, spec.key)),
  );
}

export function policyAssignments(context: StampContext): ArmResource[] {
  return policyAssignmentSpecs(context).map((spec) =>
    resource('Microsoft.Authorization/policyAssignments', policyAssignmentName(context, spec.key), {
      properties: {
        displayName: `[${context.names.aksCluster}] ${spec.displayName}`,
        policyDefinitionId: spec.definitionId,
        enforcementMode: 'Default',
        parameters: Object.fromEntries(
          Object.entries(spec.parameters).map(([name, value]) => [name, { value: value as JsonObject[string] }]),
        ),
      },
    }),
  );
}
