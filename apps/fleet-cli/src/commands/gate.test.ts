import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadFleet } from '@aks-fleet/fleet';
import { addCluster, defaultFleetDocument } from '@aks-fleet/fleet/testing';
import { RULES, type FleetDiff } from '@aks-fleet/gate';
import { planDeployment } from '@aks-fleet/infra';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cleanScratch, REPO_ROOT, runCli, scratchDir, writeFleetFile } from '../testing/run-cli.ts';
import { readTlsFiles } from './infra.ts';

afterEach(cleanScratch);
describe('fleet validate', () => {
  it('passes on the committed tree', async () => {
    const result = await runCli(['validate', '--root', REPO_ROOT]);
    expect(result.stdout).toMatch(/: 0 error\(s\)/);
    expect(result.code).toBe(0);
  });

  // The tree is a scratch folder with no tools of its own: validate uses this installation's kustomize (it once
  // looked under --root, and refused to run).
  it('fails with one documented line per finding on a broken tree', async () => {
    const root = scratchDir();
    expect((await runCli(['synth', '--root', root])).code).toBe(0);
    const file = 'manifests/bu0001a0042-03/workload/secret-db.yaml';
    writeFileSync(
      path.join(root, file),
      stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', namespace: 'a0042' },
        stringData: { password: 'x' },
      }),
    );
    const result = await runCli(['validate', '--root', root]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `ERROR security/no-secret ${file} Secret/a0042/db: Secret objects must not be committed — fix: store the value in Key Vault and mount it with a SecretProviderClass`,
    );
    const json = await runCli(['validate', '--root', root, '--json']);
    expect(JSON.parse(json.stdout).errors).toBeGreaterThanOrEqual(1);
  });

  it('refuses a cluster copied into the same region when the other region cannot absorb its loss', async () => {
    // The newcomer's case: model, synth and (before deploy/failover-absorbs) validate passed, `fleet failover` did not.
    const document = defaultFleetDocument();
    addCluster(document, 'eastus2', 'bu0001a0042-05', '05', 245);
    const fleet = writeFleetFile(document);
    const root = scratchDir();
    expect((await runCli(['synth', '--fleet', fleet, '--root', root])).code).toBe(0);
    const failover = await runCli(['failover', '--lose', 'eastus2', '--fleet', fleet, '--root', root]);
    expect(failover.code).toBe(1);
    expect(failover.stdout).toContain(
      'bu0001a0042-04 (centralus): CANNOT ABSORB — limited by HPA maximum of a0042/aspnetapp',
    );
    const result = await runCli(['validate', '--fleet', fleet, '--root', root]);
    expect(result.code).toBe(1);
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('ERROR'));
    expect(errors).toStrictEqual([
      'ERROR deploy/failover-absorbs infrastructure/frontdoor/template.json -: losing eastus2, bu0001a0042-04 ' +
        '(centralus) cannot absorb its traffic; limited by HPA maximum of a0042/aspnetapp: 9 replicas needed for a ' +
        '100 % traffic share, the HPA stops at 6 — fix: raise regions.centralus.clusters[0].frontDoor.weight to at ' +
        'least 100, or lower regions.eastus2.clusters[0].frontDoor.weight, regions.eastus2.clusters[1].frontDoor.weight; ' +
        'more replicas would not help, the need grows with them (HPA maximum = 2 × replicas) ' +
        '(see `fleet failover --lose eastus2`)',
    ]);
    // The fix it names, applied: the gate and fleet failover agree again.
    document.spec.regions.centralus!.clusters[0]!.frontDoor.weight = 100;
    const fixed = writeFleetFile(document);
    expect((await runCli(['synth', '--fleet', fixed, '--root', root])).code).toBe(0);
    const again = await runCli(['validate', '--fleet', fixed, '--root', root]);
    expect(again.stdout).toMatch(/: 0 error\(s\)/);
    expect(again.code).toBe(0);
    for (const region of ['eastus2', 'centralus'])
      expect((await runCli(['failover', '--lose', region, '--fleet', fixed, '--root', root])).code).toBe(0);
  });

  it('a run that cannot happen (no schemas, no kustomize) is one ERROR line on stderr and exit 2, not a finding', async () => {
    const saved = { schemas: process.env.FLEET_SCHEMA_LOCATION, kustomize: process.env.FLEET_KUSTOMIZE };
    const empty = scratchDir('fleet-no-schemas-');
    process.env.FLEET_SCHEMA_LOCATION = empty;
    process.env.FLEET_KUSTOMIZE = path.join(empty, 'no-kustomize');
    try {
      for (const format of ['text', 'json']) {
        const result = await runCli(['validate', '--root', REPO_ROOT, '-o', format]);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        const lines = result.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(
          /^ERROR the gate cannot run: no official schemas at .* missing; no kustomize at .* — fix: run scripts\/fetch-schemas\.sh .*; and run scripts\/install-tools\.sh /,
        );
        expect(lines[0]).not.toContain(' - -:');
      }
    } finally {
      for (const [name, value] of [
        ['FLEET_SCHEMA_LOCATION', saved.schemas],
        ['FLEET_KUSTOMIZE', saved.kustomize],
      ] as const)
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
  });

  it('--list-rules documents every rule with its rationale', async () => {
    const result = await runCli(['validate', '--list-rules']);
    for (const rule of RULES) expect(result.stdout).toContain(rule.id);
    expect(result.stdout.trim().split('\n')).toHaveLength(RULES.length);
  });
});

describe('fleet diff', () => {
  async function repoWithBase(): Promise<string> {
    const root = scratchDir('fleet-diff-');
    expect((await runCli(['synth', '--root', root])).code).toBe(0);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('-c', 'user.email=t@aks-fleet.invalid', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'empty');
    git('add', '-A');
    git('-c', 'user.email=t@aks-fleet.invalid', '-c', 'user.name=t', 'commit', '-q', '-m', 'base');
    return root;
  }

  async function diffAfter(
    mutate: (f: ReturnType<typeof defaultFleetDocument>) => void,
    format = 'json',
  ): Promise<{ root: string; output: string }> {
    const root = await repoWithBase();
    const document = defaultFleetDocument();
    mutate(document);
    const synth = await runCli(['synth', '--fleet', writeFleetFile(document), '--root', root]);
    expect(synth.code, synth.stderr).toBe(0);
    const result = await runCli(['diff', '--base', 'HEAD', '--root', root, '-o', format]);
    expect(result.code, result.stderr).toBe(0);
    return { root, output: result.stdout };
  }

  it('reports no changes when nothing changed', async () => {
    const root = await repoWithBase();
    expect((await runCli(['diff', '--base', 'HEAD', '--root', root])).stdout).toBe('no changes against HEAD\n');
  });

  it('shows field-level changes on every cluster and warns that the change touches every cluster', async () => {
    const { output } = await diffAfter((f) => {
      f.metadata.name = 'contoso-fleet';
    });
    const diff = JSON.parse(output) as FleetDiff;
    expect(diff.clusters.map((c) => c.cluster)).toStrictEqual(['bu0001a0042-03', 'bu0001a0042-04']);
    const namespace = diff.clusters[0]!.changed.find((c) => c.object === 'Namespace//a0042')!;
    expect(namespace.fields).toStrictEqual([
      { path: 'metadata.labels.aks-fleet.io/fleet', before: 'bu0001a0042', after: 'contoso-fleet' },
    ]);
    expect(diff.warnings).toContain(
      'this change touches every cluster (2): a shared lib, construct or fleet-wide setting changed — consider rolling it out region by region',
    );
  });

  it('says which rollout wave a change reaches first: wave 1 on merge, later waves on promotion', async () => {
    const everywhere = await diffAfter((f) => {
      f.metadata.name = 'contoso-fleet';
    });
    expect((JSON.parse(everywhere.output) as FleetDiff).waves).toStrictEqual([
      { wave: 'eastus2', index: 1, branch: 'main', clusters: ['bu0001a0042-03'] },
      { wave: 'centralus', index: 2, branch: 'fleet/wave-centralus', clusters: ['bu0001a0042-04'] },
    ]);
    const text = await runCli(['diff', '--base', 'HEAD', '--root', everywhere.root]);
    expect(text.stdout).toContain(
      'rollout: reaches wave 1 eastus2 (bu0001a0042-03, on merge to main) first, then wave 2 centralus (bu0001a0042-04, on fleet rollout promote centralus)\n',
    );
    const markdown = await runCli(['diff', '--base', 'HEAD', '--root', everywhere.root, '--format', 'markdown']);
    expect(markdown.stdout).toContain(
      '**Rollout:** reaches wave 1 `eastus2` (`bu0001a0042-03`, on merge to `main`) first, then wave 2 `centralus` (`bu0001a0042-04`, on `fleet rollout promote centralus`).',
    );
    const second = await diffAfter((f) => {
      f.spec.regions.centralus!.clusters[0]!.workload.replicas = 1;
    }, 'text');
    expect(second.output).toContain(
      'rollout: reaches wave 2 centralus (bu0001a0042-04, on fleet rollout promote centralus) first\n',
    );
  });

  it('issue 14: takes the waves from --fleet, the model the tree was synthesized from, not the embedded one', async () => {
    const root = await repoWithBase();
    const document = defaultFleetDocument();
    document.metadata.name = 'contoso-fleet'; // a change every cluster gets
    (document.spec as Record<string, unknown>).rollout = {
      waves: [
        { name: 'canary', regions: ['centralus'] },
        { name: 'rest', regions: ['eastus2'] },
      ],
    };
    const fleet = writeFleetFile(document);
    expect((await runCli(['synth', '--fleet', fleet, '--root', root])).code).toBe(0);
    const withFleet = await runCli(['diff', '--base', 'HEAD', '--root', root, '--fleet', fleet, '-o', 'json']);
    expect(withFleet.code, withFleet.stderr).toBe(0);
    expect((JSON.parse(withFleet.stdout) as FleetDiff).waves).toStrictEqual([
      { wave: 'canary', index: 1, branch: 'main', clusters: ['bu0001a0042-04'] },
      { wave: 'rest', index: 2, branch: 'fleet/wave-rest', clusters: ['bu0001a0042-03'] },
    ]);
    const text = await runCli(['diff', '--base', 'HEAD', '--root', root, '--fleet', path.dirname(fleet)]);
    expect(text.stdout).toContain('rollout: reaches wave 1 canary (bu0001a0042-04, on merge to main) first');
    const embedded = await runCli(['diff', '--base', 'HEAD', '--root', root, '-o', 'json']);
    expect((JSON.parse(embedded.stdout) as FleetDiff).waves!.map((w) => w.wave)).toStrictEqual([
      'eastus2',
      'centralus',
    ]);
  });

  it('detects a rename (delete + create of the same kind) and warns that prune deletes the old object', async () => {
    const { output } = await diffAfter((f) => {
      f.spec.workload.name = 'webapp';
    });
    const diff = JSON.parse(output) as FleetDiff;
    const c3 = diff.clusters.find((c) => c.cluster === 'bu0001a0042-03')!;
    expect(c3.added).toContain('ServiceAccount/a0042/webapp');
    expect(c3.removed).toContain('ServiceAccount/a0042/aspnetapp');
    expect(diff.warnings).toContain(
      'bu0001a0042-03: ServiceAccount/a0042/aspnetapp → ServiceAccount/a0042/webapp looks like a rename: Flux deletes the old object and creates the new one (not an in-place update)',
    );
    expect(diff.warnings).toContain('bu0001a0042-03: Flux prune will delete ServiceAccount/a0042/aspnetapp');
  });

  it('reads only the files that differ, yet knows which clusters stay (one deleted file is no cluster leaving)', async () => {
    const root = await repoWithBase();
    rmSync(path.join(root, 'manifests/bu0001a0042-03/workload/serviceaccount-aspnetapp.yaml'));
    const result = await runCli(['diff', '--base', 'HEAD', '--root', root, '-o', 'json']);
    const diff = JSON.parse(result.stdout) as FleetDiff;
    expect(diff.clusters.map((c) => [c.cluster, c.removed, c.added])).toStrictEqual([
      ['bu0001a0042-03', ['ServiceAccount/a0042/aspnetapp'], []],
    ]);
    expect(diff.warnings).toStrictEqual(['bu0001a0042-03: Flux prune will delete ServiceAccount/a0042/aspnetapp']);
  });

  it('reports a cluster leaving the fleet and the infrastructure it changes per region', async () => {
    const { output } = await diffAfter((f) => {
      delete f.spec.regions.centralus;
    });
    const diff = JSON.parse(output) as FleetDiff;
    const gone = diff.clusters.find((c) => c.cluster === 'bu0001a0042-04')!;
    expect(gone.added).toStrictEqual([]);
    expect(gone.removed.length).toBeGreaterThan(5);
    expect(diff.warnings.some((w) => w.startsWith('cluster bu0001a0042-04 leaves the fleet'))).toBe(true);
    expect(diff.infrastructure.map((i) => i.scope)).toEqual(
      expect.arrayContaining(['clusters/bu0001a0042-04', 'regions/centralus', 'frontdoor', 'shared']),
    );
  });

  it('renders a markdown PR comment: marker, summary table, collapsible details per cluster', async () => {
    const { output } = await diffAfter((f) => {
      f.spec.workload.name = 'webapp';
    }, 'markdown');
    expect(output.startsWith('<!-- aks-fleet-diff -->\n### aks-fleet diff against `HEAD`\n')).toBe(true);
    expect(output).toContain('| cluster | added | changed | removed |');
    expect(output).toMatch(/\| `bu0001a0042-03` \| \d+ \| \d+ \| \d+ \|/);
    expect(output.match(/<details>/g)!.length).toBeGreaterThanOrEqual(2);
    expect(output).toContain('```diff\n');
    expect(output).toContain('+ ServiceAccount/a0042/webapp');
  });

  it('is deterministic', async () => {
    const first = await diffAfter((f) => {
      f.spec.workload.name = 'webapp';
    }, 'markdown');
    const second = await diffAfter((f) => {
      f.spec.workload.name = 'webapp';
    }, 'markdown');
    expect(second.output).toBe(first.output);
  });
});

describe('fleet infra', () => {
  it('plan prints the ordered deployments and says clearly that no what-if ran without credentials', async () => {
    const saved = process.env.AZURE_SUBSCRIPTION_ID;
    delete process.env.AZURE_SUBSCRIPTION_ID;
    try {
      const result = await runCli(['infra', 'plan']);
      expect(result.code).toBe(0);
      const steps = result.stdout
        .split('\n')
        .filter((l) => /^\s+\d+\. /.test(l))
        .map((l) => l.trim().split(/\s+/)[1]);
      // The order itself is the infra library's contract (deployment-plan tests): the CLI prints that plan.
      expect(steps).toStrictEqual(planDeployment(loadFleet().fleet).map((step) => step.id));
      expect(steps.length).toBeGreaterThan(0);
      expect(result.stderr).toContain('no Azure credentials');
      const deploy = await runCli(['infra', 'deploy']);
      expect(deploy.code).toBe(1);
      expect(deploy.stderr).toContain('nothing was deployed');
    } finally {
      if (saved !== undefined) process.env.AZURE_SUBSCRIPTION_ID = saved;
    }
  });

  it('reads exactly the TLS files the plan declares from the deploy-time directory', () => {
    const dir = scratchDir();
    const cluster = path.join(dir, 'bu0001a0042-03');
    mkdirSync(cluster, { recursive: true });
    writeFileSync(path.join(cluster, 'traefik-ingress-internal-aks-ingress-tls.pem'), 'PEM');
    writeFileSync(path.join(cluster, 'appgw-ingress-internal-aks-ingress-tls.crt'), 'CRT');
    writeFileSync(path.join(cluster, 'unrelated.key'), 'not declared');
    const files = readTlsFiles(planDeployment(loadFleet().fleet), dir);
    expect(Object.keys(files).sort()).toStrictEqual([
      'bu0001a0042-03/appgw-ingress-internal-aks-ingress-tls.crt',
      'bu0001a0042-03/traefik-ingress-internal-aks-ingress-tls.pem',
    ]);
    expect(readTlsFiles(planDeployment(loadFleet().fleet), undefined)).toStrictEqual({});
  });
});
