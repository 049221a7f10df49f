// nx plugin: a cluster is one file. Every `clusters/<name>/cluster.yaml` of a fleet directory becomes the nx project
// `cluster-<name>` with two targets — `synth` (writes its folders; cached with their outputs) and `test` (its drift
// check) — so adding a cluster is adding its cluster.yaml: nx sees it, `nx affected -t synth` picks it.
import path from 'node:path';

const FLEET_CLI = 'node apps/fleet-cli/bin/fleet.js';

/** The project nx infers for one cluster.yaml (exported for the workspace tests). */
export function clusterProject(file) {
  const root = path.posix.dirname(file);
  const name = path.posix.basename(root);
  const outputs = [
    `{workspaceRoot}/manifests/${name}`,
    `{workspaceRoot}/clusters/${name}`,
    `{workspaceRoot}/infrastructure/clusters/${name}`,
  ];
  return {
    root,
    name: `cluster-${name}`,
    projectType: 'application',
    tags: ['scope:fleet', 'type:cluster'],
    // The CLI (and through it the cluster app, the constructs and the model) renders the cluster.
    implicitDependencies: ['fleet-cli'],
    targets: {
      synth: { command: `${FLEET_CLI} synth --cluster ${name}`, outputs },
      test: {
        command: `${FLEET_CLI} synth --cluster ${name} --check`,
        inputs: ['default', '^production', ...outputs.map((output) => `${output}/**/*`)],
      },
    },
  };
}

export const createNodesV2 = [
  '**/clusters/*/cluster.yaml',
  (files) => files.map((file) => [file, { projects: { [path.posix.dirname(file)]: clusterProject(file) } }]),
];
