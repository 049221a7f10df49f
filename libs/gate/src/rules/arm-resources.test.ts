import { describe, expect, it } from 'vitest';
import { inFile, ofCluster, ofType, type FileResource } from './arm-resources.ts';
import { gatewayFor } from './deploy/front-door-origins.ts';

const AGW = 'Microsoft.Network/applicationGateways';
const gateway = (file: string, name: string, host: string): FileResource => ({
  file,
  resource: { type: AGW, name, properties: { httpListeners: [{ properties: { hostNames: [host] } }] } },
});

// The lookups are indexed once per resource list (a scan per cluster was quadratic at 1000 clusters): they must
// answer exactly as a scan in order would.
describe('indexed resource lookups', () => {
  const resources: FileResource[] = [
    {
      file: 'infrastructure/clusters/c1/stamp/template.json',
      resource: { type: 'Microsoft.KeyVault/vaults', name: 'a' },
    },
    gateway('infrastructure/clusters/c1/stamp/template.json', 'apw-1', 'c1.example'),
    { file: 'infrastructure/shared/template.json', resource: { type: 'microsoft.keyvault/VAULTS', name: 'b' } },
    gateway('infrastructure/clusters/c2/stamp/template.json', 'apw-2', 'c2.example'),
    gateway('infrastructure/clusters/c3/stamp/template.json', 'apw-3', 'c1.example'),
    { file: 'infrastructure/clusters/c2/stamp/template.json', resource: { name: 'no type' } },
  ];

  it('ofType matches any casing and keeps the order; a caller changing its result changes no later answer', () => {
    const vaults = ofType(resources, 'Microsoft.KeyVault/vaults');
    expect(vaults.map((r) => r.resource.name)).toStrictEqual(['a', 'b']);
    vaults.pop();
    expect(ofType(resources, 'MICROSOFT.KEYVAULT/VAULTS').map((r) => r.resource.name)).toStrictEqual(['a', 'b']);
    expect(ofType(resources, 'Microsoft.Web/sites')).toStrictEqual([]);
  });

  it('inFile and ofCluster group by template file and by cluster folder', () => {
    expect(
      inFile(resources, 'infrastructure/clusters/c2/stamp/template.json').map((r) => r.resource.name),
    ).toStrictEqual(['apw-2', 'no type']);
    expect(ofCluster(resources, 'c1').map((r) => r.resource.name)).toStrictEqual(['a', 'apw-1']);
    expect(ofCluster(resources, 'shared')).toStrictEqual([]);
  });

  it('gatewayFor answers the first gateway whose listener serves the host, as a scan in order would', () => {
    expect(gatewayFor(resources, 'c1.example')?.resource.name).toBe('apw-1');
    expect(gatewayFor(resources, 'c2.example')?.resource.name).toBe('apw-2');
    expect(gatewayFor(resources, 'c9.example')).toBeUndefined();
  });
});
