/**
 * vCPUs and memory of the Azure VM sizes node pools use: the one table the e2e's simulated nodes and
 * `fleet failover` read. Source: Microsoft Learn, "Sizes for virtual machines in Azure" — the series pages of
 * Dv2/DSv2, Dv3/Dsv3, Dv4/Dsv4/Ddsv4, Dv5/Dsv5/Ddsv5/Dasv5, Esv5, Fsv2 and B (vCPU and "Memory: GiB" columns).
 * A size missing here is reported by name; add its row from the same pages.
 */
export interface VmSize {
  readonly vCpus: number;
  readonly memoryGiB: number;
}

export const VM_SIZES: Readonly<Record<string, VmSize>> = {
  Standard_DS2_v2: { vCpus: 2, memoryGiB: 7 },
  Standard_DS3_v2: { vCpus: 4, memoryGiB: 14 },
  Standard_DS4_v2: { vCpus: 8, memoryGiB: 28 },
  Standard_DS5_v2: { vCpus: 16, memoryGiB: 56 },
  Standard_D2s_v3: { vCpus: 2, memoryGiB: 8 },
  Standard_D4s_v3: { vCpus: 4, memoryGiB: 16 },
  Standard_D8s_v3: { vCpus: 8, memoryGiB: 32 },
  Standard_D16s_v3: { vCpus: 16, memoryGiB: 64 },
  Standard_D2s_v4: { vCpus: 2, memoryGiB: 8 },
  Standard_D4s_v4: { vCpus: 4, memoryGiB: 16 },
  Standard_D8s_v4: { vCpus: 8, memoryGiB: 32 },
  Standard_D2ds_v4: { vCpus: 2, memoryGiB: 8 },
  Standard_D4ds_v4: { vCpus: 4, memoryGiB: 16 },
  Standard_D8ds_v4: { vCpus: 8, memoryGiB: 32 },
  Standard_D2s_v5: { vCpus: 2, memoryGiB: 8 },
  Standard_D4s_v5: { vCpus: 4, memoryGiB: 16 },
  Standard_D8s_v5: { vCpus: 8, memoryGiB: 32 },
  Standard_D16s_v5: { vCpus: 16, memoryGiB: 64 },
  Standard_D2ds_v5: { vCpus: 2, memoryGiB: 8 },
  Standard_D4ds_v5: { vCpus: 4, memoryGiB: 16 },
  Standard_D8ds_v5: { vCpus: 8, memoryGiB: 32 },
  Standard_D2as_v5: { vCpus: 2, memoryGiB: 8 },
  Standard_D4as_v5: { vCpus: 4, memoryGiB: 16 },
  Standard_D8as_v5: { vCpus: 8, memoryGiB: 32 },
  Standard_E2s_v5: { vCpus: 2, memoryGiB: 16 },
  Standard_E4s_v5: { vCpus: 4, memoryGiB: 32 },
  Standard_E8s_v5: { vCpus: 8, memoryGiB: 64 },
  Standard_F4s_v2: { vCpus: 4, memoryGiB: 8 },
  Standard_F8s_v2: { vCpus: 8, memoryGiB: 16 },
  Standard_B2s: { vCpus: 2, memoryGiB: 4 },
  Standard_B2ms: { vCpus: 2, memoryGiB: 8 },
  Standard_B4ms: { vCpus: 4, memoryGiB: 16 },
};
