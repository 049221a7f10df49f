/**
 * The deploy/* rules: what makes a schema-valid fleet fail on real Azure. Each works on any fleet: it reads the
 * synthesized objects and templates (and the model's node pools), never the default fleet's names.
 */
import type { SyncRule } from '../../rule.ts';
import { containerInsights } from './container-insights.ts';
import { deepHealthProbe } from './deep-health-probe.ts';
import { failoverAbsorbs } from './failover-absorbs.ts';
import { fixedIpSubnet } from './fixed-ip-subnet.ts';
import { frontDoorLock } from './front-door-lock.ts';
import { kubernetesSupport } from './kubernetes-support.ts';
import { peakFits } from './peak-fits.ts';

export { surgeAt } from './peak-fits.ts';

export const deployRules: SyncRule[] = [
  fixedIpSubnet,
  kubernetesSupport,
  containerInsights,
  peakFits,
  failoverAbsorbs,
  frontDoorLock,
  deepHealthProbe,
];
