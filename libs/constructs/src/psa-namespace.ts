import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Namespace } from 'kubernetes-models/v1/Namespace';

/** Pod Security Admission levels. @see https://kubernetes.io/docs/concepts/security/pod-security-standards/ */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

export interface PsaNamespaceProps {
  /** Namespace name. */
  readonly name: string;
  /**
   * Level the API server enforces: pods that violate it are rejected.
   * @default 'restricted'
   */
  readonly enforce?: PodSecurityLevel;
  /**
   * Level that is audited and warned about; set it stricter than `enforce` to see what would break.
   * @default - the `enforce` level
   */
  readonly warn?: PodSecurityLevel;
  /** Extra labels. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A Namespace labelled for Pod Security Admission (`pod-security.kubernetes.io/{enforce,audit,warn}` with the
 * `latest` version), so the restricted standard holds even where Azure Policy only audits.
 */
export class PsaNamespace extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: PsaNamespaceProps) {
    super(scope, id);
    const enforce = props.enforce ?? 'restricted';
    const warn = props.warn ?? enforce;
    this.name = props.name;
    const namespace = new Namespace({
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          'kubernetes.io/metadata.name': props.name,
          'pod-security.kubernetes.io/enforce': enforce,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': warn,
          'pod-security.kubernetes.io/audit-version': 'latest',
          'pod-security.kubernetes.io/warn': warn,
          'pod-security.kubernetes.io/warn-version': 'latest',
        },
      },
    });
    new ApiObject(this, 'Resource', namespace.toJSON());
  }
}
