/**
 * Traefik v3 configuration files, as TOML: the static configuration (entry points, providers, logs, metrics) and the
 * dynamic configuration the file provider serves (middlewares, TLS options and the certificate from the CSI mount).
 * Pure functions of their inputs, so a construct can hash the result into its pod template.
 * @see https://doc.traefik.io/traefik/reference/static-configuration/file/
 * @see https://doc.traefik.io/traefik/reference/dynamic-configuration/file/
 */
import { stringify as toToml } from 'smol-toml';

/** Container ports of the controller; the Service, the probes and the NetworkPolicies refer to them. */
export const TRAEFIK_PORTS = {
  /** TLS entry point that App Gateway connects to (behind the Service's port 443). */
  websecure: 8443,
  /** Ping entry point: readiness and liveness probes. */
  ping: 9000,
  /** Prometheus metrics entry point. */
  metrics: 8082,
} as const;

/** Names of the middlewares the file provider defines; every router on `websecure` gets both. */
export const TRAEFIK_MIDDLEWARES = { allowList: 'app-gateway-allowlist', compress: 'gzip-compress' } as const;

/** Where the controller reads its files. */
export const TRAEFIK_PATHS = {
  configDirectory: '/config',
  staticFile: 'traefik.toml',
  dynamicFile: 'dynamic.toml',
  certificateDirectory: '/certs',
} as const;

export interface TraefikStaticOptions {
  /** IngressClass whose Ingresses the controller serves. */
  readonly ingressClassName: string;
  /** Namespaces whose Ingresses, Services and EndpointSlices the controller watches. */
  readonly watchNamespaces: readonly string[];
  /** Address written to the status of every served Ingress (the internal load balancer's IP). */
  readonly publishedIp: string;
  /** Networks whose X-Forwarded-* headers are trusted (the App Gateway subnet). */
  readonly trustedCidrs: readonly string[];
}

export interface TraefikDynamicOptions {
  /** Client networks allowed on `websecure` (the App Gateway subnet). */
  readonly allowedCidrs: readonly string[];
  /** Certificate and key file names inside the certificate directory. */
  readonly certificateFile: string;
  readonly keyFile: string;
  /** Oldest TLS version accepted. */
  readonly minTlsVersion: 'VersionTLS12' | 'VersionTLS13';
}

/**
 * TLS 1.2 cipher suites offered: forward secrecy and AEAD only (TLS 1.3 suites are not configurable and all good).
 * App Gateway's backend connections negotiate ECDHE-RSA-AES-GCM.
 */
const TLS12_CIPHER_SUITES = [
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
];

/**
 * Static configuration: JSON logs and access logs, no dashboard or API, no version check or usage reporting (no
 * egress), ping on :9000, Prometheus metrics on :8082, and `websecure` on :8443 as the only default entry point — TLS
 * always on, forwarded headers trusted only from the given networks, the allow-list and compression middlewares on
 * every router. Providers: the file provider (dynamic file) and the Kubernetes Ingress provider limited to one
 * IngressClass and the watched namespaces, ExternalName Services refused.
 */
export function traefikStaticConfiguration(options: TraefikStaticOptions): string {
  return toToml({
    global: { checkNewVersion: false, sendAnonymousUsage: false },
    log: { level: 'INFO', format: 'json' },
    accessLog: { format: 'json' },
    ping: { entryPoint: 'traefik' },
    metrics: {
      prometheus: {
        entryPoint: 'metrics',
        addEntryPointsLabels: true,
        addRoutersLabels: false,
        addServicesLabels: true,
      },
    },
    entryPoints: {
      traefik: { address: `:${TRAEFIK_PORTS.ping}`, asDefault: false },
      metrics: { address: `:${TRAEFIK_PORTS.metrics}`, asDefault: false },
      websecure: {
        address: `:${TRAEFIK_PORTS.websecure}`,
        asDefault: true,
        forwardedHeaders: { trustedIPs: [...options.trustedCidrs] },
        http: {
          middlewares: [`${TRAEFIK_MIDDLEWARES.allowList}@file`, `${TRAEFIK_MIDDLEWARES.compress}@file`],
          tls: {},
        },
      },
    },
    providers: {
      providersThrottleDuration: '10s',
      file: { filename: `${TRAEFIK_PATHS.configDirectory}/${TRAEFIK_PATHS.dynamicFile}`, watch: true },
      kubernetesIngress: {
        ingressClass: options.ingressClassName,
        namespaces: [...options.watchNamespaces],
        allowExternalNameServices: false,
        allowEmptyServices: false,
        ingressEndpoint: { ip: options.publishedIp },
      },
    },
  });
}

/**
 * Dynamic configuration: the `ipAllowList` middleware (Traefik v3's name for v2's ipWhiteList) on the remote address
 * — not on X-Forwarded-For, which a client could forge — and gzip compression; the default TLS options (minimum
 * version, strict SNI, AEAD cipher suites); the mounted certificate as the default store's certificate and as a
 * served certificate, so strict SNI finds it for the ingress host.
 */
export function traefikDynamicConfiguration(options: TraefikDynamicOptions): string {
  const certFile = `${TRAEFIK_PATHS.certificateDirectory}/${options.certificateFile}`;
  const keyFile = `${TRAEFIK_PATHS.certificateDirectory}/${options.keyFile}`;
  return toToml({
    http: {
      middlewares: {
        [TRAEFIK_MIDDLEWARES.allowList]: { ipAllowList: { sourceRange: [...options.allowedCidrs] } },
        [TRAEFIK_MIDDLEWARES.compress]: { compress: {} },
      },
    },
    tls: {
      options: {
        default: {
          minVersion: options.minTlsVersion,
          sniStrict: true,
          ...(options.minTlsVersion === 'VersionTLS12' ? { cipherSuites: TLS12_CIPHER_SUITES } : {}),
        },
      },
      stores: { default: { defaultCertificate: { certFile, keyFile } } },
      certificates: [{ certFile, keyFile, stores: ['default'] }],
    },
  });
}
