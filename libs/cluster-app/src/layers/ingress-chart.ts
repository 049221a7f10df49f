import { KeyVaultSecretProviderClass, TraefikIngressController } from '@aks-fleet/constructs';
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { requireIngressClientId, USER_POOL_NODE_SELECTOR, type ClusterContext } from '../cluster-context.ts';

/** File names of the certificate and key in the controller's CSI mount. */
const TLS_FILES = { certificate: 'tls.crt', key: 'tls.key' } as const;

/**
 * Ingress: the internal Traefik controller in its own namespace, with the ingress TLS certificate mounted from the
 * cluster's Key Vault (workload identity, no Kubernetes Secret), serving the workload namespace's Ingresses on the
 * region's fixed internal load balancer IP to the region's App Gateway only.
 */
export class IngressChart extends Chart {
  constructor(scope: Construct, id: string, context: ClusterContext) {
    super(scope, id, { disableResourceNameHashes: true });
    const { ingress } = context;
    const clientId = requireIngressClientId(context);

    const tls = new KeyVaultSecretProviderClass(this, 'TlsCertificate', {
      name: ingress.secretProviderClassName,
      namespace: ingress.namespace,
      keyVaultName: ingress.keyVaultName,
      tenantId: ingress.tenantId,
      clientId,
      objects: [
        // A Key Vault certificate: its public part as "cert", its PEM bundle with the private key as "secret".
        { objectName: ingress.tlsCertificateName, objectType: 'cert', objectAlias: TLS_FILES.certificate },
        { objectName: ingress.tlsCertificateName, objectType: 'secret', objectAlias: TLS_FILES.key },
      ],
    });

    new TraefikIngressController(this, 'Traefik', {
      namespace: ingress.namespace,
      name: ingress.serviceAccount,
      image: ingress.image,
      replicas: ingress.replicas,
      workloadIdentityClientId: clientId,
      secretProviderClassName: tls.name,
      certificateFile: TLS_FILES.certificate,
      keyFile: TLS_FILES.key,
      watchNamespaces: [context.workload.namespace],
      ingressClassName: ingress.className,
      loadBalancer: { ip: ingress.internalLoadBalancerIp, subnetName: ingress.subnetName },
      clientCidrs: [ingress.appGatewaySubnet],
      nodeSelector: USER_POOL_NODE_SELECTOR,
    });
  }
}
