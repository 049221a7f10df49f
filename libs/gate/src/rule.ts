import type { Fleet } from '@aks-fleet/fleet';
import type { ObjectValidator } from '@aks-fleet/synth';
import type { Finding } from './finding.ts';
import type { ClusterTree } from './tree.ts';

/** A declared exception to a security rule, with the reason a reviewer can judge. */
export interface PolicyException {
  readonly rule: string;
  readonly namespace: string;
  /** Workload (Deployment …) name. */
  readonly name: string;
  readonly reason: string;
}

/** A workload the fleet model declares as calling the Kubernetes API: it may have a service-account token. */
export interface ApiAccess {
  readonly namespace: string;
  /** Workload (Deployment …) name. */
  readonly name: string;
  readonly reason: string;
}

/** What the Azure Policy assignments of the infrastructure enforce on containers. */
export interface ContainerPolicy {
  /** Highest CPU limit per container, in cores. */
  readonly maxCpu: number;
  /** Highest memory limit per container, in bytes. */
  readonly maxMemory: number;
  /** Registries images may come from (host names). */
  readonly allowedRegistries: readonly string[];
}

export interface GateContext {
  readonly root: string;
  readonly clusters: readonly ClusterTree[];
  /** The fleet model the tree was synthesized from. @default - model-dependent rules check less */
  readonly fleet?: Readonly<Fleet>;
  /** The pinned kustomize binary; without it `validate()` reports one precondition error (preconditions.ts). */
  readonly kustomize?: string;
  /**
   * Folder of the official schemas (`crds/`, `arm/`) the validators read; checked before any rule runs.
   * @default - `$FLEET_SCHEMA_LOCATION`, else `<repository>/.cache/schemas` (schemaLocation() of @aks-fleet/util)
   */
  readonly schemaLocation?: string;
  /** Validators for CRD kinds (apiVersion/kind), as synthesis uses. */
  readonly validators?: ReadonlyMap<string, ObjectValidator>;
  readonly policy: ContainerPolicy;
  /** The synthesized infrastructure/ templates (path → parsed JSON) and the ARM schema check. @default - infrastructure rules are skipped */
  readonly infrastructure?: {
    readonly templates: ReadonlyMap<string, unknown>;
    /** `infrastructure/plan.json` (the deploy steps: certificates imported into each Key Vault …). @default - none */
    readonly plan?: unknown;
    readonly validateTemplate: (file: string, template: unknown) => readonly string[];
  };
  readonly exceptions: readonly PolicyException[];
  /** Workloads that may mount a service-account token. @default - none */
  readonly apiAccess?: readonly ApiAccess[];
  /**
   * Clusters whose files are byte-identical to an already validated git ref (`fleet validate --changed-since`):
   * their folders are not built again (kustomize/build). @default - none
   */
  readonly unchanged?: ReadonlySet<string>;
  /**
   * Folder of the record of passed cluster builds, by content (rules/kustomize-build-cache.ts), or `false` to build
   * every cluster. @default - `<repository>/.cache/kustomize-builds`
   */
  readonly kustomizeCache?: string | false;
}

export interface Rule {
  /** Stable id, e.g. `security/no-secret`. */
  readonly id: string;
  /** One-line reason the rule exists. */
  readonly rationale: string;
  /**
   * The check runs outside this process (kustomize): validate() starts it before the in-process rules, so both
   * run at once. @default false
   */
  readonly external?: boolean;
  check(context: GateContext): Finding[] | Promise<Finding[]>;
}

/** A rule that answers at once (all but kustomize/build, which runs kustomize processes in parallel). */
export interface SyncRule extends Rule {
  check(context: GateContext): Finding[];
}
