/**
 * The naive baseline of the benchmark: what a cdk8s user does without this engine — one process per cluster that
 * builds that cluster's charts in a cdk8s App and calls `app.synth()` (one YAML file per chart in `outdir`).
 *
 *   node <bundle of this file> <fleet file> <cluster> <outdir>
 */
import { loadFleet } from '@aks-fleet/fleet';
import { App } from 'cdk8s';
import { clusterDefinitions } from '../cluster-definitions.ts';

const [fleetFile, clusterName, outdir] = process.argv.slice(2);
const definition = clusterDefinitions(loadFleet(fleetFile).fleet).find((d) => d.name === clusterName);
if (!definition) throw new Error(`no cluster ${clusterName} in ${fleetFile}`);
const app = new App({ outdir: outdir! });
definition.build(app);
app.synth();
