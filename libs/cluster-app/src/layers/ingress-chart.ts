import { KeyVaultSecretProviderClass, TraefikIngressController } from '@aks-fleet/constructs';
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { USER_POOL_NODE_SELECTOR, type ClusterContext } from '../cluster-context.ts';

/**
 * File of the certificate chain and private key in the controller's CSI mount: the Key Vault certificate read as its
 * backing secret (`objectType: secret`) is one PEM with both; Traefik (Go's X509KeyPair) takes the certificates and
 * the key from the same file.
 */
const TLS_BUNDLE_FILE = 'tls.pem';

/**
 * Ingress: the internal Traefik controller in its own namespace, with the ingress TLS certificate mounted from the
 * cluster's Key Vault (workload identity, no Kubernetes Secret), serving the workload namespace's Ingresses on the
 * region's fixed internal load balancer IP to the region's App Gateway only.
 */
export class IngressChart extends Chart {
  constructor(scope: Construct, id: string, context: ClusterContext) {
    super(scope, id, { disableResourceNameHashes: true });
    const { ingress } = context;
    const { clientId } = ingress;

    const tls = new KeyVaultSecretProviderClass(this, 'TlsCertificate', {
      name: ingress.secretProviderClassName,
      namespace: ingress.namespace,
      keyVaultName: ingress.keyVaultName,
      tenantId: ingress.tenantId,
      clientId,
      // The certificate imported by `fleet infra deploy`, as its backing secret: key + chain, readable with Key Vault
      // Secrets User alone (`cert` would read the public part through the certificates API, another role).
      objects: [{ objectName: ingress.tlsCertificateName, objectType: 'secret', objectAlias: TLS_BUNDLE_FILE }],
    });

    new TraefikIngressController(this, 'Traefik', {
      namespace: ingress.namespace,
      name: ingress.serviceAccount,
      image: ingress.image,
      replicas: ingress.replicas,
      workloadIdentityClientId: clientId,
      secretProviderClassName: tls.name,
      certificateFile: TLS_BUNDLE_FILE,
      keyFile: TLS_BUNDLE_FILE,
      watchNamespaces: [context.workload.namespace],
      ingressClassName: ingress.className,
      loadBalancer: { ip: ingress.internalLoadBalancerIp, subnetName: ingress.subnetName },
      clientCidrs: [ingress.appGatewaySubnet],
      nodeSelector: USER_POOL_NODE_SELECTOR,
    });
  }
}
