/**
 * `fleet graph`: the topology comes from the model (a third region appears with no code change), renders to Mermaid,
 * DOT and SVG in-process with no network, and the README picture is generated and drift-checked.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { threeRegionDocument } from '@aks-fleet/fleet/testing';
import type { FleetTopology } from '@aks-fleet/infra';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanScratch, REPO_ROOT, runCli, scratchDir, writeFleetFile } from '../testing/run-cli.ts';
import { GRAPH_BEGIN, GRAPH_END } from './graph.ts';

afterEach(cleanScratch);

function threeRegionFleet(): string {
  return writeFleetFile(threeRegionDocument());
}

describe('fleet graph', () => {
  it('draws the request path of every cluster of the default fleet', async () => {
    const result = await runCli(['graph', '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const topology = JSON.parse(result.stdout) as FleetTopology;
    expect(topology.groups.map((g) => g.label)).toStrictEqual([
      'Shared services · eastus2',
      'Region eastus2',
      'Region centralus',
    ]);
    const path03 = [
      'frontdoor',
      'bu0001a0042_03_appgw',
      'bu0001a0042_03_ilb',
      'bu0001a0042_03_traefik',
      'bu0001a0042_03_workload',
    ];
    const requests = topology.edges.filter((e) => e.kind === 'request').map((e) => `${e.from}>${e.to}`);
    for (let i = 1; i < path03.length; i++) expect(requests).toContain(`${path03[i - 1]}>${path03[i]}`);
    expect(topology.edges).toContainEqual({
      from: 'acr_eastus2',
      to: 'acr_centralus',
      kind: 'replicate',
      label: 'geo-replication',
    });
    expect(topology.edges).toContainEqual({
      from: 'git',
      to: 'bu0001a0042_04_flux',
      kind: 'sync',
      label: 'wave centralus · fleet/wave-centralus',
    });
    // The first wave follows the model's branch itself.
    expect(topology.edges).toContainEqual({
      from: 'git',
      to: 'bu0001a0042_03_flux',
      kind: 'sync',
      label: 'wave eastus2 · main',
    });
  });

  it('a third region appears with no code change, in Mermaid, DOT and SVG', async () => {
    const fleet = threeRegionFleet();
    const mermaid = (await runCli(['graph', '--fleet', fleet])).stdout;
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid).toContain('subgraph region_westus3["Region westus3"]');
    expect(mermaid).toContain('frontdoor ==>|"HTTPS · priority 1, weight 50"| bu0001a0042_05_appgw');
    expect(mermaid).toContain('acr_eastus2 -.->|"geo-replication"| acr_westus3');
    expect(mermaid).toContain('bu0001a0042_05_spoke <-.->|"peering · egress via firewall"| hub_westus3');
    expect(mermaid).toContain('git -->|"wave westus3 · fleet/wave-westus3"| bu0001a0042_05_flux');
    const dot = (await runCli(['graph', '--fleet', fleet, '-o', 'dot'])).stdout;
    expect(dot).toContain('subgraph cluster_region_westus3 {');
    const svg = (await runCli(['graph', '--fleet', fleet, '-o', 'svg'])).stdout;
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg [\s\S]*Region westus3[\s\S]*<\/svg>\n$/);
    expect((await runCli(['graph', '--fleet', fleet, '-o', 'svg'])).stdout).toBe(svg);
  });

  it('renders SVG with no network (Graphviz in WebAssembly, in-process)', () => {
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        path.join(REPO_ROOT, 'apps/fleet-cli/src/testing/no-network.mjs'),
        path.join(REPO_ROOT, 'apps/fleet-cli/bin/fleet.js'),
        'graph',
        '-o',
        'svg',
      ],
      { encoding: 'utf8' },
    );
    expect(result.stderr).not.toContain('NETWORK USED');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Region centralus');
  });

  it("the README's picture is the model's: --check passes on the repository", async () => {
    const result = await runCli(['graph', '--check', '--root', REPO_ROOT]);
    expect(result.stdout).toBe('no drift: the README picture matches the fleet model\n');
    expect(result.code).toBe(0);
  });

  it('--check fails on a stale picture, --write regenerates only the marked block and the SVG', async () => {
    const root = scratchDir('fleet-graph-');
    writeFileSync(path.join(root, 'README.md'), `# fork\n\n${GRAPH_BEGIN}\nold picture\n${GRAPH_END}\n\nkept\n`);
    const stale = await runCli(['graph', '--check', '--root', root]);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('DRIFT README.md\nDRIFT docs/fleet-graph.svg\n');
    expect(stale.stdout).toContain('fix: run `npx fleet graph --write`');
    expect((await runCli(['graph', '--write', '--root', root])).code).toBe(0);
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(
      readme.startsWith(
        `# fork\n\n${GRAPH_BEGIN}\n\n![fleet topology](docs/fleet-graph.svg)\n\n\`\`\`mermaid\nflowchart LR\n`,
      ),
    ).toBe(true);
    expect(readme.endsWith(`\`\`\`\n\n${GRAPH_END}\n\nkept\n`)).toBe(true);
    expect((await runCli(['graph', '--check', '--root', root])).code).toBe(0);
  });
});
