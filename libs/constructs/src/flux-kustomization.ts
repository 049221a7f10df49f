import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';

/** A Flux source a Kustomization reads from. */
export interface FluxSourceReference {
  readonly kind: 'GitRepository' | 'OCIRepository' | 'Bucket';
  readonly name: string;
  readonly namespace: string;
}

export interface FluxKustomizationProps {
  /** Kustomization name. */
  readonly name: string;
  /** Namespace of the Kustomization (where the Flux controllers watch). */
  readonly namespace: string;
  /** Path inside the source artifact, e.g. `./manifests/<cluster>/baseline`. */
  readonly path: string;
  /** The source; the AKS Flux extension creates it from the cluster's `fluxConfigurations`. */
  readonly sourceRef: FluxSourceReference;
  /** Kustomizations (same namespace) that must be Ready first. @default - none */
  readonly dependsOn?: readonly string[];
  /** Reconcile and drift-correction period. @default '10m' */
  readonly interval?: string;
  /** Retry period after a failure. @default '2m' */
  readonly retryInterval?: string;
  /** Timeout for build, apply and health checks. @default '5m' */
  readonly timeout?: string;
  /**
   * Wait for every applied object to become Ready before this Kustomization is Ready (what `dependsOn` waits for).
   * @default true
   */
  readonly wait?: boolean;
  /** Garbage-collect objects removed from the source. @default true */
  readonly prune?: boolean;
  /**
   * Post-build variable substitution: `${NAME}` in the built manifests becomes the value. A value may itself be a
   * placeholder the Kustomization that applies this one substitutes (values passed down from the bootstrap).
   * @default - none
   */
  readonly substitute?: Readonly<Record<string, string>>;
  /** Labels. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A `kustomize.toolkit.fluxcd.io/v1` Kustomization, typed and built through @kubernetes-models/flux-cd.
 * Defaults follow the Flux examples: prune on, explicit interval/retryInterval/timeout, wait on.
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/
 */
export class FluxKustomization extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: FluxKustomizationProps) {
    super(scope, id);
    this.name = props.name;
    const kustomization = new Kustomization({
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...(props.labels ? { labels: { ...props.labels } } : {}),
      },
      spec: {
        interval: props.interval ?? '10m',
        retryInterval: props.retryInterval ?? '2m',
        timeout: props.timeout ?? '5m',
        path: props.path,
        prune: props.prune ?? true,
        wait: props.wait ?? true,
        sourceRef: { ...props.sourceRef },
        ...(props.dependsOn && props.dependsOn.length > 0
          ? { dependsOn: props.dependsOn.map((name) => ({ name })) }
          : {}),
        ...(props.substitute && Object.keys(props.substitute).length > 0
          ? { postBuild: { substitute: { ...props.substitute } } }
          : {}),
      },
    });
    new ApiObject(this, 'Resource', kustomization.toJSON());
  }
}
