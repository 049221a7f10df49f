import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  defaultFleetDocument,
  INVALID_FLEET_FILES,
  INVALID_FLEETS,
  threeRegionDocument,
  writeInvalidFleetDirectory,
} from '@aks-fleet/fleet/testing';
import { synthesize } from '@aks-fleet/synth';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadFleet } from '@aks-fleet/fleet';
import { clusterDefinitions, clusterObjectValidators } from '@aks-fleet/cluster-app';
import {
  cleanScratch,
  kustomizeBinary,
  readTree,
  REPO_ROOT,
  runCli,
  scratchDir,
  writeFleetFile,
} from '../testing/run-cli.ts';

afterEach(cleanScratch);

const CLUSTERS = ['bu0001a0042-03', 'bu0001a0042-04'];

async function synthDefault(): Promise<{ root: string; tree: Record<string, string> }> {
  const root = scratchDir();
  const result = await runCli(['synth', '--root', root]);
  expect(result.code, result.stderr).toBe(0);
  // The Kubernetes side; infrastructure/ has its own tests and golden snapshot in libs/infra.
  const tree = Object.fromEntries(
    Object.entries(readTree(root)).filter(([file]) => !file.startsWith('infrastructure/')),
  );
  return { root, tree };
}

describe('fleet synth on the default fleet', () => {
  it('writes one folder per layer and a Flux entrypoint per cluster, one file per object plus a kustomization.yaml per folder', async () => {
    const { tree } = await synthDefault();
    const files = Object.keys(tree);
    for (const cluster of CLUSTERS) {
      // Only the second region runs the reference's canary.
      const canary = cluster === 'bu0001a0042-04';
      expect(files.filter((f) => f.startsWith(`manifests/${cluster}/`))).toStrictEqual([
        `manifests/${cluster}/baseline/configmap-container-azm-ms-agentconfig.yaml`,
        `manifests/${cluster}/baseline/kustomization.yaml`,
        `manifests/${cluster}/baseline/limitrange-compute.yaml`,
        `manifests/${cluster}/baseline/namespace-a0042.yaml`,
        `manifests/${cluster}/baseline/namespace-cluster-baseline-settings.yaml`,
        `manifests/${cluster}/baseline/namespace-traefik-ingress.yaml`,
        `manifests/${cluster}/baseline/resourcequota-compute.yaml`,
        `manifests/${cluster}/baseline/rolebinding-a0042-operators.yaml`,
        `manifests/${cluster}/baseline/rolebinding-a0042-readers.yaml`,
        `manifests/${cluster}/ingress/clusterrole-traefik-ingress-controller.yaml`,
        `manifests/${cluster}/ingress/clusterrolebinding-traefik-ingress-controller.yaml`,
        `manifests/${cluster}/ingress/configmap-traefik-ingress-controller.yaml`,
        `manifests/${cluster}/ingress/deployment-traefik-ingress-controller.yaml`,
        `manifests/${cluster}/ingress/ingressclass-traefik-internal.yaml`,
        `manifests/${cluster}/ingress/kustomization.yaml`,
        `manifests/${cluster}/ingress/poddisruptionbudget-traefik-ingress-controller.yaml`,
        `manifests/${cluster}/ingress/role-traefik-ingress-controller.yaml`,
        `manifests/${cluster}/ingress/rolebinding-traefik-ingress-controller.yaml`,
        `manifests/${cluster}/ingress/secretproviderclass-ingress-tls-key-vault.yaml`,
        `manifests/${cluster}/ingress/service-traefik-ingress-controller.yaml`,
        `manifests/${cluster}/ingress/serviceaccount-traefik-ingress-controller.yaml`,
        `manifests/${cluster}/kustomization.yaml`,
        `manifests/${cluster}/policy/kustomization.yaml`,
        `manifests/${cluster}/policy/networkpolicy-a0042-allow-dns-egress.yaml`,
        `manifests/${cluster}/policy/networkpolicy-a0042-default-deny-all.yaml`,
        `manifests/${cluster}/policy/networkpolicy-allow-egress-to-api-server.yaml`,
        `manifests/${cluster}/policy/networkpolicy-allow-egress-to-workload.yaml`,
        `manifests/${cluster}/policy/networkpolicy-allow-https-from-app-gateway.yaml`,
        `manifests/${cluster}/policy/networkpolicy-allow-ingress-from-traefik.yaml`,
        `manifests/${cluster}/policy/networkpolicy-allow-metrics-from-kube-system.yaml`,
        `manifests/${cluster}/policy/networkpolicy-traefik-ingress-allow-dns-egress.yaml`,
        `manifests/${cluster}/policy/networkpolicy-traefik-ingress-default-deny-all.yaml`,
        ...(canary ? [`manifests/${cluster}/workload/deployment-aspnetapp-canary.yaml`] : []),
        `manifests/${cluster}/workload/deployment-aspnetapp.yaml`,
        `manifests/${cluster}/workload/horizontalpodautoscaler-aspnetapp.yaml`,
        `manifests/${cluster}/workload/ingress-aspnetapp.yaml`,
        `manifests/${cluster}/workload/kustomization.yaml`,
        ...(canary ? [`manifests/${cluster}/workload/poddisruptionbudget-aspnetapp-canary.yaml`] : []),
        `manifests/${cluster}/workload/poddisruptionbudget-aspnetapp.yaml`,
        `manifests/${cluster}/workload/service-aspnetapp.yaml`,
        `manifests/${cluster}/workload/serviceaccount-aspnetapp.yaml`,
      ]);
      expect(files.filter((f) => f.startsWith(`clusters/${cluster}/`))).toStrictEqual([
        `clusters/${cluster}/kustomization-fleet-baseline.yaml`,
        `clusters/${cluster}/kustomization-fleet-ingress.yaml`,
        `clusters/${cluster}/kustomization-fleet-policy.yaml`,
        `clusters/${cluster}/kustomization-fleet-workload.yaml`,
        `clusters/${cluster}/kustomization.yaml`,
      ]);
    }
    expect(
      files.every((f) => f.startsWith('manifests/') || f.startsWith('clusters/') || f.startsWith('infrastructure/')),
    ).toBe(true);
  });

  it('labels every object with its own cluster and region and nothing of the other region', async () => {
    const { tree } = await synthDefault();
    const regions: Record<string, string> = { 'bu0001a0042-03': 'eastus2', 'bu0001a0042-04': 'centralus' };
    for (const [file, content] of Object.entries(tree)) {
      if (file.endsWith('/kustomization.yaml')) continue;
      const cluster = file.split('/')[1]!;
      const object = parse(content);
      expect(object.metadata.labels).toMatchObject({
        'aks-fleet.io/cluster': cluster,
        'aks-fleet.io/region': regions[cluster],
        'aks-fleet.io/fleet': 'bu0001a0042',
      });
      const other = CLUSTERS.find((c) => c !== cluster)!;
      expect(content).not.toContain(other);
      expect(content).not.toContain(regions[other]!);
    }
  });

  it('gives the workload namespace the restricted Pod Security level', async () => {
    const { tree } = await synthDefault();
    const namespace = parse(tree['manifests/bu0001a0042-03/baseline/namespace-a0042.yaml']!);
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(namespace.metadata.namespace).toBeUndefined();
    expect(namespace.spec).toBeUndefined();
  });

  it('chains the layer Kustomizations baseline → policy → ingress → workload from the bootstrap GitRepository', async () => {
    const { tree } = await synthDefault();
    const entry = (layer: string) => parse(tree[`clusters/bu0001a0042-04/kustomization-fleet-${layer}.yaml`]!);
    expect(entry('baseline').spec.dependsOn).toBeUndefined();
    expect(entry('policy').spec.dependsOn).toStrictEqual([{ name: 'fleet-baseline' }]);
    expect(entry('ingress').spec.dependsOn).toStrictEqual([{ name: 'fleet-policy' }]);
    expect(entry('workload').spec.dependsOn).toStrictEqual([{ name: 'fleet-ingress' }]);
    expect(entry('workload').spec).toMatchObject({
      path: './manifests/bu0001a0042-04/workload',
      prune: true,
      interval: '10m',
      retryInterval: '2m',
      timeout: '5m',
      sourceRef: { kind: 'GitRepository', name: 'aks-fleet', namespace: 'flux-system' },
    });
    expect(parse(tree['clusters/bu0001a0042-04/kustomization.yaml']!).resources).toStrictEqual([
      'kustomization-fleet-baseline.yaml',
      'kustomization-fleet-ingress.yaml',
      'kustomization-fleet-policy.yaml',
      'kustomization-fleet-workload.yaml',
    ]);
  });

  it('is deterministic: two runs into two folders are byte-identical', async () => {
    const first = await synthDefault();
    const second = await synthDefault();
    expect(second.tree).toStrictEqual(first.tree);
  });

  it('kustomize build succeeds on every generated folder and yields exactly the synthesized objects', async () => {
    const { root, tree } = await synthDefault();
    const kustomize = kustomizeBinary();
    const folders = [...new Set(Object.keys(tree).map((f) => path.posix.dirname(f)))];
    folders.push(...CLUSTERS.map((c) => `manifests/${c}`));
    for (const folder of new Set(folders)) {
      const output = execFileSync(kustomize, ['build', path.join(root, folder)], { encoding: 'utf8' });
      const built = parseAllDocuments(output)
        .map((d) => d.toJS())
        .filter(Boolean);
      const expected = Object.entries(tree)
        .filter(([f]) => f.startsWith(`${folder}/`) && !f.endsWith('kustomization.yaml'))
        .map(([, content]) => parse(content));
      expect(built.length, folder).toBe(expected.length);
    }
  });
});

describe('fleet synth --check', () => {
  it('finds no drift between the committed tree and the fleet model', async () => {
    const result = await runCli(['synth', '--check', '--root', REPO_ROOT]);
    expect(result.stdout + result.stderr).toContain('no drift');
    expect(result.code).toBe(0);
  });

  it('lists every differing file, exits 1 and writes nothing', async () => {
    const { root } = await synthDefault();
    const edited = 'manifests/bu0001a0042-03/baseline/namespace-a0042.yaml';
    writeFileSync(path.join(root, edited), `${readFileSync(path.join(root, edited), 'utf8')}# hand edit\n`);
    const stale = 'manifests/bu0001a0042-03/policy/stale.yaml';
    writeFileSync(path.join(root, stale), readFileSync(path.join(root, edited), 'utf8'));
    const before = readTree(root);
    const result = await runCli(['synth', '--check', '--root', root]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`DRIFT ${edited}`);
    expect(result.stdout).toContain(`DRIFT ${stale}`);
    expect(readTree(root)).toStrictEqual(before);
  });

  it('prints one JSON document with --json', async () => {
    const { root } = await synthDefault();
    const result = await runCli(['synth', '--check', '-o', 'json', '--root', root]);
    expect(JSON.parse(result.stdout)).toMatchObject({
      command: 'synth --check',
      clusters: CLUSTERS,
      drift: [],
      objects: 78,
    });
  });
});

describe('fleet synth ownership and scope', () => {
  it('--cluster synthesizes only that cluster and touches no other folder', async () => {
    const root = scratchDir();
    const result = await runCli(['synth', '--cluster', 'bu0001a0042-04', '--root', root]);
    expect(result.code).toBe(0);
    expect(Object.keys(readTree(root)).every((f) => f.includes('/bu0001a0042-04/'))).toBe(true);
  });

  it('fails on an unknown --cluster with the known names', async () => {
    const result = await runCli(['synth', '--cluster', 'nope', '--root', scratchDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the fleet has bu0001a0042-03, bu0001a0042-04');
  });

  it('removes the folders of a cluster that left the model, and keeps hand-written files', async () => {
    const { root } = await synthDefault();
    writeFileSync(path.join(root, 'manifests/NOTES.md'), 'ours\n');
    const document = defaultFleetDocument();
    delete document.spec.regions.centralus;
    const result = await runCli(['synth', '--fleet', writeFleetFile(document), '--root', root]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(path.join(root, 'manifests/bu0001a0042-04'))).toBe(false);
    expect(existsSync(path.join(root, 'clusters/bu0001a0042-04'))).toBe(false);
    expect(readFileSync(path.join(root, 'manifests/NOTES.md'), 'utf8')).toBe('ours\n');
    expect(result.stderr).toContain('WARN  manifests/NOTES.md: not generated by aks-fleet; left alone');
  });

  it('leaves the previous tree byte-identical when a write fails mid-way', async () => {
    const { root } = await synthDefault();
    const before = readTree(root);
    const document = defaultFleetDocument();
    document.spec.workload.namespace = 'a0043';
    const { fleet } = loadFleet(writeFleetFile(document));
    let operations = 0;
    await expect(
      synthesize({
        root,
        clusters: clusterDefinitions(fleet),
        validators: clusterObjectValidators(),
        beforeOperation: (index) => {
          operations = index;
          if (index === 7) throw new Error('disk full (injected)');
        },
      }),
    ).rejects.toThrow('disk full (injected)');
    expect(operations).toBe(7);
    expect(readTree(root)).toStrictEqual(before);
  });

  it('adding a third region yields a complete third folder with no code change', async () => {
    const document = threeRegionDocument();
    const root = scratchDir();
    const result = await runCli(['synth', '--fleet', writeFleetFile(document), '--root', root]);
    expect(result.code, result.stderr).toBe(0);
    const tree = readTree(root);
    const thirdFiles = Object.keys(tree).filter((f) => f.includes('bu0001a0042-05'));
    const firstFiles = Object.keys(tree).filter((f) => f.includes('bu0001a0042-03'));
    expect(thirdFiles.map((f) => f.replace('-05', '-03'))).toStrictEqual(firstFiles);
    expect(
      parse(tree['manifests/bu0001a0042-05/baseline/namespace-a0042.yaml']!).metadata.labels['aks-fleet.io/region'],
    ).toBe('westus3');
  });
});

describe('fleet synth rejects invalid fleets and writes nothing', () => {
  it.each(INVALID_FLEETS)('fails on $name', async ({ mutate, path: fieldPath }) => {
    const document = defaultFleetDocument();
    mutate(document);
    const root = scratchDir();
    const result = await runCli(['synth', '--fleet', writeFleetFile(document), '--root', root]);
    expect(result.code).toBe(1);
    // One mistake, one error line, at the field as written in the fleet file (`spec.` + the model path).
    const written = /^(apiVersion|kind|metadata)\b/.test(fieldPath) ? fieldPath : `spec.${fieldPath}`;
    expect(result.stderr.split('\n').filter((line) => line.startsWith('ERROR '))).toStrictEqual([
      expect.stringMatching(new RegExp(`^ERROR ${written.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: got `)),
    ]);
    expect(result.stderr).toContain('1 error(s) in the fleet model; nothing was written');
    expect(readTree(root)).toStrictEqual({});
  });
});

describe('fleet synth rejects a fleet directory with one mistake in one file: one error line, nothing written', () => {
  it.each(INVALID_FLEET_FILES)('fails on $name', async (mistake) => {
    const fleet = path.join(scratchDir(), 'fleet');
    writeInvalidFleetDirectory(fleet, mistake);
    const root = scratchDir();
    const result = await runCli(['synth', '--fleet', fleet, '--root', root]);
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('ERROR '));
    expect(errors, result.stderr).toHaveLength(1);
    expect(errors[0]!.slice('ERROR '.length)).toMatch(mistake.line);
    expect(result.stderr).toContain('1 error(s) in the fleet model; nothing was written');
    expect(readTree(root)).toStrictEqual({});
  });
});
