import { describe, expect, it } from 'vitest';
import {
  AKS_NODE_MAX_PODS,
  azureCniAddresses,
  azureSubnetUsableAddresses,
  nodeCapacity,
  reservedCpuMillicores,
  reservedMemoryMiB,
} from './node-capacity.ts';
import { VM_SIZES } from './vm-sizes.ts';

describe('AKS node capacity', () => {
  it('subtracts the AKS reservations from the VM size (DS2_v2: 2 vCPU, 7 GiB, 30 pods)', () => {
    // 2 cores → 100m; memory: min(20 × 30 + 50, 7168 / 4) = 650 MiB, plus the 100 MiB eviction threshold.
    expect(nodeCapacity('Standard_DS2_v2')).toEqual({
      vmSize: 'Standard_DS2_v2',
      capacity: { cpuMillicores: 2000, memoryMiB: 7168, pods: AKS_NODE_MAX_PODS },
      allocatable: { cpuMillicores: 1900, memoryMiB: 7168 - 650 - 100, pods: AKS_NODE_MAX_PODS },
    });
  });

  it('caps the memory reservation at a quarter of a small VM', () => {
    expect(reservedMemoryMiB(4096, 250)).toBe(1024);
    expect(reservedMemoryMiB(16384, 30)).toBe(650);
  });

  it('takes the CPU reservation of the largest row not above the core count', () => {
    expect([1, 2, 4, 8, 16, 32, 64, 96].map(reservedCpuMillicores)).toEqual([60, 100, 140, 180, 260, 420, 740, 740]);
  });

  it('keeps allocatable positive and below capacity for every size in the table', () => {
    for (const vmSize of Object.keys(VM_SIZES)) {
      const { capacity, allocatable } = nodeCapacity(vmSize)!;
      expect(allocatable.cpuMillicores, vmSize).toBeLessThan(capacity.cpuMillicores);
      expect(allocatable.memoryMiB, vmSize).toBeLessThan(capacity.memoryMiB);
      expect(allocatable.memoryMiB, vmSize).toBeGreaterThan(0);
    }
  });

  it('knows no size outside the table', () => {
    expect(nodeCapacity('Standard_Imaginary_v9')).toBeUndefined();
  });

  it('counts Azure CNI addresses as nodes × (maxPods + 1) against the subnet minus Azure’s 5', () => {
    expect(azureCniAddresses(9)).toBe(279);
    expect(azureSubnetUsableAddresses(22)).toBe(1019);
  });
});
