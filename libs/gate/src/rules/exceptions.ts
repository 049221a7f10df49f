import type { KubernetesObject } from '@aks-fleet/synth';
import type { GateContext } from '../rule.ts';

/** Whether the fleet model declares an exception to `rule` for this object (namespace and name). */
export function excepted(context: GateContext, rule: string, object: KubernetesObject): boolean {
  return context.exceptions.some(
    (e) => e.rule === rule && e.namespace === (object.metadata.namespace ?? '') && e.name === object.metadata.name,
  );
}
