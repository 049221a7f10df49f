/**
 * Invalid fleet DIRECTORIES: each entry is one mistake in one file of a copy of the embedded default fleet
 * (fleet.yaml + clusters/<name>/cluster.yaml) and must be rejected with exactly one error, at `at` and matching
 * `line` once rendered. Run through the loader (libs/fleet load.test.ts) and the CLI (fleet synth).
 */
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultFleetLocation } from '../load.ts';

export interface InvalidFleetFile {
  readonly name: string;
  /** The file with the mistake, relative to the fleet directory. */
  readonly file: string;
  /** The mistake: the file's new text from its text, or `null` to remove the file's folder. */
  readonly edit: (text: string) => string | null;
  /** The file is (also) renamed to this, relative to the fleet directory. @default - it keeps its name */
  readonly renameTo?: string;
  /** The path (`kind`, `spec.region`) or, for a YAML error, the end of `<file>:<line>:<column>`. */
  readonly at: string;
  /** The file the error names. @default - `file` */
  readonly source?: string;
  /** The rendered error line (`<path>: got …; expected … — fix: …`) matches this. */
  readonly line: RegExp;
}

const EAST = 'clusters/bu0001a0042-03/cluster.yaml';
const CENTRAL = 'clusters/bu0001a0042-04/cluster.yaml';
const same = (text: string) => text;

/** Replaces `from` (which must be there) by `to`. */
const replace =
  (from: string | RegExp, to: string) =>
  (text: string): string => {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`invalid-fleet-files: no "${String(from)}" in the file`);
    return next;
  };

export const INVALID_FLEET_FILES: readonly InvalidFleetFile[] = [
  // The envelope of a cluster.yaml: the error names the file and the field, and no "regions.<r>.clusters missing".
  {
    name: 'a misspelled kind',
    file: EAST,
    edit: replace('kind: Cluster', 'kind: Clusters'),
    at: 'kind',
    line: /^kind: got "Clusters"; expected "Cluster" — fix: set kind: "Cluster" \(.*bu0001a0042-03\/cluster\.yaml\)$/,
  },
  {
    name: 'a wrong apiVersion',
    file: EAST,
    edit: replace('apiVersion: fleet.aks-fleet.io/v1alpha1', 'apiVersion: v1'),
    at: 'apiVersion',
    line: /^apiVersion: got "v1"; .* — fix: set apiVersion: "fleet\.aks-fleet\.io\/v1alpha1" /,
  },
  {
    name: 'a metadata.name left out',
    file: EAST,
    edit: replace(/metadata:\n {2}name: bu0001a0042-03\n/, 'metadata: {}\n'),
    at: 'metadata.name',
    line: /^metadata\.name: got \(missing\); .* — fix: add metadata\.name /,
  },
  {
    name: 'a region not in fleet.yaml',
    file: EAST,
    edit: replace('region: eastus2', 'region: eastus-2'),
    at: 'spec.region',
    line: /^spec\.region: got "eastus-2"; expected a region defined in fleet\.yaml \(eastus2, centralus\) — fix: /,
  },
  {
    name: 'an empty cluster.yaml',
    file: EAST,
    edit: () => '# nothing yet\n',
    at: '(document)',
    line: /^\(document\): got an empty file; expected a Cluster document: apiVersion: fleet\.aks-fleet\.io\/v1alpha1, kind: Cluster, metadata\.name .* — fix: write the Cluster document into cluster\.yaml /,
  },
  {
    name: 'an empty fleet.yaml',
    file: 'fleet.yaml',
    edit: () => '',
    at: '(document)',
    line: /^\(document\): got an empty file; expected a Fleet document: .*kind: Fleet.* — fix: write the Fleet document into fleet\.yaml /,
  },
  {
    name: 'a region no cluster file names',
    file: EAST,
    edit: () => null,
    source: 'fleet.yaml',
    at: 'spec.regions.eastus2.clusters',
    line: /^spec\.regions\.eastus2\.clusters: got \(missing\); .* — fix: add clusters\/<name>\/cluster\.yaml with spec\.region: eastus2, or remove spec\.regions\.eastus2 from fleet\.yaml /,
  },
  // A field of a cluster.yaml: named as written in that file (spec.…), not as the model's path (regions.….clusters[0]).
  {
    name: 'a VM size the VM size table lacks',
    file: EAST,
    edit: replace('vmSize: Standard_DS3_v2', 'vmSize: Standard_DS3v2'),
    at: 'spec.nodePools.user.vmSize',
    line: /^spec\.nodePools\.user\.vmSize: got "Standard_DS3v2"; expected an Azure VM size listed in the VM size table \(libs\/fleet\/src\/capacity\/vm-sizes\.ts\), like Standard_DS3_v2 — fix: did you mean Standard_DS3_v2\? use a size listed in libs\/fleet\/src\/capacity\/vm-sizes\.ts; or — if Standard_DS3v2 is a real Azure size the table lacks — add it \(vCPUs, memory\) to that table in your fork \(/,
  },
  {
    name: 'a node count out of range',
    file: CENTRAL,
    edit: replace('minCount: 2', 'minCount: 0'),
    at: 'spec.nodePools.user.minCount',
    line: /^spec\.nodePools\.user\.minCount: got 0; .* — fix: change spec\.nodePools\.user\.minCount to fit/,
  },
  {
    name: 'an unquoted Kubernetes version (1.30 reads as the number 1.3)',
    file: EAST,
    edit: replace('kubernetesVersion: "1.35"', 'kubernetesVersion: 1.30'),
    at: 'spec.kubernetesVersion',
    line: /^spec\.kubernetesVersion: got 1\.30; expected a string: a Kubernetes version like "1\.35" \(YAML reads it unquoted as a number\) — fix: quote the value: kubernetesVersion: "1\.30" \(/,
  },
  {
    name: 'an unquoted instance (4 reads as a number)',
    file: CENTRAL,
    edit: replace('instance: "04"', 'instance: 4'),
    at: 'spec.instance',
    line: /^spec\.instance: got 4; expected a string: a two-digit instance id like "03" .* — fix: quote the value \(a two-digit instance id like "03"\): instance: "04" \(/,
  },
  {
    name: 'an ILB IP outside its subnet (the subnet named as written in the file)',
    file: CENTRAL,
    edit: replace('internalLoadBalancerIp: 10.244.4.4', 'internalLoadBalancerIp: 10.244.9.4'),
    at: 'spec.ingress.internalLoadBalancerIp',
    line: /^spec\.ingress\.internalLoadBalancerIp: got "10\.244\.9\.4"; expected an address inside spoke\.subnets\.ingress/,
  },
  {
    name: "a spoke moved onto another cluster's spoke (named with its file)",
    file: CENTRAL,
    edit: replace('addressSpace: 10.244.0.0/16', 'addressSpace: 10.243.0.0/16'),
    at: 'spec.spoke.addressSpace',
    line: /^spec\.spoke\.addressSpace: got "10\.243\.0\.0\/16"; expected an address space that overlaps no other in the fleet \(overlaps spec\.spoke\.addressSpace in \S*clusters\/bu0001a0042-03\/cluster\.yaml = 10\.243\.0\.0\/16\) — fix: set it to 10\.244\.0\.0\/16, the range that holds its subnets \(/,
  },
  {
    name: "a cluster named like another folder's cluster",
    file: CENTRAL,
    edit: replace('name: bu0001a0042-04', 'name: bu0001a0042-03'),
    at: 'metadata.name',
    line: /^metadata\.name: got "bu0001a0042-03"; expected the folder name "bu0001a0042-04" — fix: /,
  },
  {
    name: 'a cluster file spelled cluster.yml',
    file: CENTRAL,
    edit: same,
    renameTo: 'clusters/bu0001a0042-04/cluster.yml',
    source: 'clusters/bu0001a0042-04/cluster.yml',
    at: '(document)',
    line: /^\(document\): got "cluster\.yml"; expected only cluster\.yaml in a cluster folder — fix: rename cluster\.yml to cluster\.yaml \(/,
  },
  // fleet.yaml: its paths as written there (spec.regions.…).
  {
    name: 'a hub address space moved onto another hub, its subnets left behind',
    file: 'fleet.yaml',
    edit: replace('addressSpace: 10.200.4.0/24', 'addressSpace: 10.200.3.0/24'),
    at: 'spec.regions.centralus.hub.addressSpace',
    line: /^spec\.regions\.centralus\.hub\.addressSpace: got "10\.200\.3\.0\/24"; expected .*\(overlaps spec\.regions\.eastus2\.hub\.addressSpace = 10\.200\.3\.0\/24\) — fix: set it to 10\.200\.4\.0\/24, the range that holds its subnets \(/,
  },
  {
    name: 'a workload replica count out of range',
    file: 'fleet.yaml',
    edit: replace(/replicas: 2\n {4}port/, 'replicas: 0\n    port'),
    at: 'spec.workload.replicas',
    line: /^spec\.workload\.replicas: got 0; .* — fix: change spec\.workload\.replicas to fit/,
  },
  {
    name: 'an unknown top-level field in a cluster.yaml',
    file: EAST,
    edit: (text) => `${text}status:\n  ready: true\n`,
    at: 'status',
    line: /^status: got \{"ready":true\}; expected no such field \(unknown field\) — fix: remove "status" or correct its spelling \(a Cluster document has apiVersion, kind, metadata and spec\) \(/,
  },
  // Malformed YAML: file:line:column, what is there in plain words, and a fix — not the parser's message.
  {
    name: 'an unclosed quote',
    file: EAST,
    edit: replace('instance: "03"', 'instance: "03'),
    at: 'bu0001a0042-03/cluster.yaml:8:13',
    line: /cluster\.yaml:8:13: got a quoted value that is never closed: instance: "03; expected valid YAML — fix: end the value with the same quote mark/,
  },
  {
    name: 'an unclosed [ list',
    file: EAST,
    edit: replace('zones: ["1", "2", "3"]', 'zones: ["1", "2", "3"'),
    at: 'bu0001a0042-03/cluster.yaml:16:14',
    line: /: got a \[ list that is never closed: zones: \["1", "2", "3"; expected valid YAML — fix: close it with \]/,
  },
  {
    name: 'a tab as indentation',
    file: EAST,
    edit: replace('  instance: "03"', '\tinstance: "03"'),
    at: 'bu0001a0042-03/cluster.yaml:8:1',
    line: /: got a tab used for indentation: .*; expected valid YAML — fix: indent with spaces/,
  },
  {
    name: 'a key on a line of its own',
    file: EAST,
    edit: replace('  instance: "03"', '  instance: "03"\n  frontDoor'),
    at: 'bu0001a0042-03/cluster.yaml:9:3',
    line: /: got a key without a value: frontDoor; expected valid YAML — fix: write it as `key: value`/,
  },
  // A mis-indented key: the line of the key itself (not where the parser gave up), and the indentation named.
  {
    name: 'a key de-indented from 6 to 4 spaces',
    file: EAST,
    edit: replace('      maxCount: 4', '    maxCount: 4'),
    at: 'bu0001a0042-03/cluster.yaml:15:5',
    line: /: got a key indented 4 spaces, unlike the keys it belongs with: maxCount: 4; expected keys of one mapping at one column \(here 6 spaces\) — fix: indent maxCount 6 spaces, like its sibling keys/,
  },
  {
    name: 'the first key of a mapping over-indented',
    file: EAST,
    edit: replace('  region: eastus2', '   region: eastus2'),
    at: 'bu0001a0042-03/cluster.yaml:7:4',
    line: /: got a key indented 3 spaces, unlike the keys it belongs with: region: eastus2; .* — fix: indent region 2 spaces, like its sibling keys/,
  },
  {
    name: 'a key de-indented into its parent mapping (valid YAML of another shape)',
    file: EAST,
    edit: replace('    weight: 50', '  weight: 50'),
    at: 'bu0001a0042-03/cluster.yaml:40:3',
    line: /: got a key indented 2 spaces, unlike the keys it belongs with: weight: 50; .* — fix: indent weight 4 spaces/,
  },
  {
    name: 'a key of fleet.yaml de-indented into its parent mapping',
    file: 'fleet.yaml',
    edit: replace('          bastion: 10.200.3.128/26', '        bastion: 10.200.3.128/26'),
    at: 'fleet.yaml:54:9',
    line: /: got a key indented 8 spaces, unlike the keys it belongs with: bastion: 10\.200\.3\.128\/26; .* — fix: indent bastion 10 spaces/,
  },
  {
    name: 'a second key: on one line',
    file: EAST,
    edit: replace('region: eastus2', 'region: eastus2: x'),
    at: 'bu0001a0042-03/cluster.yaml:7:11',
    line: /: got a second `key:` on the same line: region: eastus2: x; expected valid YAML — fix: put the nested key on its own line/,
  },
  {
    name: 'a second document',
    file: EAST,
    edit: replace('  region: eastus2', '  region: eastus2\n---\nkind: x'),
    at: 'bu0001a0042-03/cluster.yaml:8:1',
    line: /: got a second YAML document \(a --- line\): ---; expected valid YAML — fix: keep one document per file/,
  },
];

/** Writes the default fleet directory into `directory` with `mistake` made. */
export function writeInvalidFleetDirectory(directory: string, mistake: InvalidFleetFile): void {
  cpSync(defaultFleetLocation(), directory, { recursive: true });
  const file = path.join(directory, mistake.file);
  const text = mistake.edit(readFileSync(file, 'utf8'));
  if (text === null) rmSync(path.dirname(file), { recursive: true });
  else writeFileSync(file, text);
  if (text !== null && mistake.renameTo) renameSync(file, path.join(directory, mistake.renameTo));
}
