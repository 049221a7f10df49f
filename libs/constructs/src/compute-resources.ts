/**
 * CPU and memory in unit-suffixed integers, and their Kubernetes quantity strings. Props take numbers so that a
 * quota can be computed from a container's requests, and a typo like "128M" (megabytes, not mebibytes) cannot happen.
 */
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';

export interface ComputeResources {
  /** CPU in millicores (`100` is `100m`, a tenth of a core). */
  readonly cpuMillicores: number;
  /** Memory in mebibytes (`128` is `128Mi`). */
  readonly memoryMiB: number;
}

/** Requests and limits of one container. */
export interface ContainerResources {
  readonly requests: ComputeResources;
  readonly limits: ComputeResources;
}

export function cpuQuantity(millicores: number): string {
  return `${millicores}m`;
}

export function memoryQuantity(mebibytes: number): string {
  return `${mebibytes}Mi`;
}

export function quantities(resources: ComputeResources): { cpu: string; memory: string } {
  return { cpu: cpuQuantity(resources.cpuMillicores), memory: memoryQuantity(resources.memoryMiB) };
}

/** `resources` scaled by a whole number of pods. */
export function times(resources: ComputeResources, count: number): ComputeResources {
  return { cpuMillicores: resources.cpuMillicores * count, memoryMiB: resources.memoryMiB * count };
}

/** Throws when a value is not a positive integer or a request exceeds its limit; `owner` names the construct. */
export function checkContainerResources(owner: string, resources: ContainerResources): void {
  for (const kind of ['requests', 'limits'] as const) {
    for (const unit of ['cpuMillicores', 'memoryMiB'] as const) {
      const value = resources[kind][unit];
      if (!Number.isInteger(value) || value <= 0)
        throw new Error(`${owner}: resources.${kind}.${unit} must be a positive integer, got ${value}`);
    }
  }
  for (const unit of ['cpuMillicores', 'memoryMiB'] as const) {
    if (resources.requests[unit] > resources.limits[unit]) {
      throw new Error(
        `${owner}: resources.requests.${unit} (${resources.requests[unit]}) must be <= resources.limits.${unit} (${resources.limits[unit]}); lower the request or raise the limit`,
      );
    }
  }
}

export function toResourceRequirements(resources: ContainerResources): IResourceRequirements {
  return { requests: quantities(resources.requests), limits: quantities(resources.limits) };
}
