/**
 * The fleet model, version `fleet.aks-fleet.io/v1alpha1`.
 *
 * One runtime schema (zod) is the single source of the TypeScript types: every type below is `z.infer` of it.
 * The schema checks structure only; cross-field rules (overlaps, uniqueness, reserved addresses …) live in
 * `rules.ts` and run in the same `parseFleet()` step.
 */
import { z } from 'zod';
import { closestName } from '@aks-fleet/util';
import { VM_SIZES } from './capacity/vm-sizes.ts';
import { SUPPORT_PLANS } from './kubernetes-support.ts';
import { RolloutSchema } from './rollout.ts';

export const FLEET_API_VERSION = 'fleet.aks-fleet.io/v1alpha1';
export const FLEET_KIND = 'Fleet';
export const CLUSTER_KIND = 'Cluster';

/** DNS-1123 label: what Kubernetes accepts for names and namespaces. */
const dnsLabel = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'a DNS-1123 label (lowercase letters, digits and "-", starting and ending alphanumeric)',
  )
  .max(63, 'at most 63 characters');

/** Dotted-quad IPv4 address (zod's validator); range checks happen in the rules. */
const ipv4 = z.ipv4({ error: 'an IPv4 address like 10.243.4.4' });

/** IPv4 CIDR (zod's validator); host bits zero is checked by the rules, with a suggested fix. */
const cidr = z.cidrv4({ error: 'an IPv4 CIDR like 10.243.0.0/16' });

/** Any GUID (Entra object and tenant ids need not be RFC 9562 UUIDs). */
const uuid = z.guid({ error: 'a GUID like 00000000-0000-0000-0000-000000000000' });

/** A container image reference with an explicit tag or digest (no implicit `latest`). */
const pinnedImage = z
  .string()
  .regex(
    /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/,
    'an image "registry/repository:tag" or "registry/repository@sha256:<digest>"',
  )
  .refine((image) => !image.endsWith(':latest'), 'a pinned tag, not ":latest"');

/**
 * Container limit maxima the cluster's Azure Policy denies above (the reference's "CPU ≤ 1000m, memory ≤ 512Mi"
 * assignment). The model refuses larger limits so a manifest can never be denied at admission.
 */
export const CONTAINER_LIMIT_MAXIMA = { cpuMillicores: 1000, memoryMiB: 512 } as const;

/**
 * How many times its normal replicas a cluster must be able to run: when a region is lost, the surviving one takes
 * all the traffic (the reference's capacity guidance). The workload's autoscaler maximum and quotas use it.
 */
export const FAILOVER_FACTOR = 2;

/** Kubernetes service network of a cluster unless the model names another (the reference's values). */
export const DEFAULT_SERVICE_NETWORK = { serviceCidr: '172.16.0.0/16', dnsServiceIp: '172.16.0.10' } as const;

/**
 * Extra pods a workload rollout starts (its Deployments' `maxSurge`): at the failover peak the user pool needs a node
 * for them too, or the rollout stalls exactly when one region carries the fleet.
 */
export const WORKLOAD_MAX_SURGE = 1;

/** Namespace of the ingress controller unless the model names another. */
export const DEFAULT_INGRESS_CONTROLLER_NAMESPACE = 'traefik-ingress';

/**
 * Key of a map keyed by name (regions …): never a member of `Object.prototype` (`__proto__`, `constructor`,
 * `toString` …), which would replace the map's prototype or shadow a built-in instead of naming an entry.
 */
const mapKey = z
  .string()
  .refine(
    (key) => !(key in Object.prototype),
    'a name that is not a JavaScript built-in property (__proto__, constructor, toString …)',
  );

/** Azure availability zones used by a node pool. */
const zones = z.array(z.enum(['1', '2', '3'])).min(1, 'at least one zone');

/** Where the VM size table lives: the one list of sizes the model accepts (and capacity planning reads). */
const VM_SIZE_TABLE = 'libs/fleet/src/capacity/vm-sizes.ts';

/**
 * An Azure VM size of the VM size table: a size the table lacks would pass `fleet synth` and fail only at deploy (or
 * in `fleet failover`, which needs its vCPUs and memory), so it is a model error, with the nearest listed size.
 */
const vmSize = z.string().superRefine((size, context) => {
  if (Object.hasOwn(VM_SIZES, size)) return;
  const closest = closestName(size, Object.keys(VM_SIZES), 3);
  context.addIssue({
    code: 'custom',
    input: size,
    message: `an Azure VM size listed in the VM size table (${VM_SIZE_TABLE}), like Standard_DS3_v2`,
    params: {
      fix:
        `${closest ? `did you mean ${closest}? ` : ''}use a size listed in ${VM_SIZE_TABLE}; or — if ${size} is a ` +
        `real Azure size the table lacks — add it (vCPUs, memory) to that table in your fork`,
    },
  });
});

export const NodePoolSchema = z.strictObject({
  /** Azure VM size of the VM size table (capacity/vm-sizes.ts), e.g. Standard_DS3_v2. */
  vmSize,
  minCount: z.int().min(1).max(1000),
  maxCount: z.int().min(1).max(1000),
  zones,
});

export const SpokeSchema = z.strictObject({
  addressSpace: cidr,
  subnets: z.strictObject({
    /** Nodes and pods (flat Azure CNI). */
    nodes: cidr,
    /** Internal load balancer of the ingress controller (its fixed IP; nothing dynamically addressed). */
    ingress: cidr,
    /** Application Gateway WAF_v2. */
    appGateway: cidr,
    /** Private endpoints (Key Vault, container registry): dynamic IPs, apart from the ingress ILB's fixed one. */
    privateEndpoints: cidr,
  }),
});

export const HubSchema = z.strictObject({
  addressSpace: cidr,
  subnets: z.strictObject({
    firewall: cidr,
    gateway: cidr,
    bastion: cidr,
  }),
});

/** CPU and memory of one container, in unit-suffixed integers (no Kubernetes quantity strings to mistype). */
const computeResources = z.strictObject({
  cpuMillicores: z
    .int()
    .min(1)
    .max(
      CONTAINER_LIMIT_MAXIMA.cpuMillicores,
      `at most ${CONTAINER_LIMIT_MAXIMA.cpuMillicores} (the cluster policy denies CPU limits above ${CONTAINER_LIMIT_MAXIMA.cpuMillicores}m)`,
    ),
  memoryMiB: z
    .int()
    .min(16)
    .max(
      CONTAINER_LIMIT_MAXIMA.memoryMiB,
      `at most ${CONTAINER_LIMIT_MAXIMA.memoryMiB} (the cluster policy denies memory limits above ${CONTAINER_LIMIT_MAXIMA.memoryMiB}Mi)`,
    ),
});

/** Requests and limits of the workload container; requests <= limits is checked by the rules. */
export const ResourcesSchema = z.strictObject({
  requests: computeResources,
  limits: computeResources,
});

export const CanarySchema = z.strictObject({
  /** Canary replicas; the traffic share is canary / (stable + canary) because both share one Service selector. */
  replicas: z.int().min(1).max(100),
  /** Image of the canary; defaults to the stable image. */
  image: pinnedImage.optional(),
});

/** Per-cluster workload overrides of the fleet-wide workload settings. */
export const ClusterWorkloadSchema = z.strictObject({
  replicas: z.int().min(1).max(100).optional(),
  image: pinnedImage.optional(),
  canary: CanarySchema.optional(),
});

export const ClusterSchema = z.strictObject({
  /** Cluster name: the folder name under manifests/ and clusters/. */
  name: dnsLabel,
  /** Two-digit instance id of the stamp (the reference uses 03 and 04). */
  instance: z.string().regex(/^\d{2}$/, 'a two-digit instance id like "03"'),
  /** Kubernetes version: minor (1.35) or patch (1.35.2), in AKS support (kubernetes-support.ts). */
  kubernetesVersion: z.string(),
  /** AKS pricing tier (managedClusters sku.tier); long-term support needs Premium. @default 'Standard' */
  tier: z.enum(['Standard', 'Premium']).default('Standard'),
  /**
   * AKS support plan: `AKSLongTermSupport` (with tier Premium) keeps a minor supported a year after its standard
   * support ends. @default 'KubernetesOfficial'
   */
  supportPlan: z.enum(SUPPORT_PLANS).default('KubernetesOfficial'),
  nodePools: z.strictObject({ system: NodePoolSchema, user: NodePoolSchema }),
  spoke: SpokeSchema,
  ingress: z.strictObject({
    /** Fixed IP of the ingress controller's internal load balancer, inside `spoke.subnets.ingress`. */
    internalLoadBalancerIp: ipv4,
  }),
  entra: z.strictObject({
    tenantId: uuid,
    /** Entra group whose members are cluster admins (set by AKS). */
    adminGroupObjectId: uuid,
    /** Entra group bound to the namespace operator role of the workload namespace. */
    operatorGroupObjectId: uuid.optional(),
    /** Entra group bound to the namespace reader role of the workload namespace. */
    readerGroupObjectId: uuid.optional(),
  }),
  /**
   * Microsoft Entra workload identity of the cluster's in-cluster components. Ids Azure assigns when the stamp deploys
   * (the ingress controller identity's client id) are not in the model: the stamp hands them to Flux at deploy time
   * (FLUX_SUBSTITUTIONS).
   */
  workloadIdentity: z
    .strictObject({
      /**
       * Tenant of the subscription that holds the cluster's Key Vault and managed identities (the SecretProviderClass
       * `tenantId`). It can differ from `entra.tenantId`, the tenant of the Kubernetes RBAC groups.
       * @default - entra.tenantId
       */
      tenantId: uuid.optional(),
    })
    .default({}),
  /** Front Door origin routing for this cluster's App Gateway. */
  frontDoor: z
    .strictObject({
      priority: z.int().min(1).max(5),
      weight: z.int().min(1).max(1000),
    })
    .default({ priority: 1, weight: 50 }),
  workload: ClusterWorkloadSchema.default({}),
  /**
   * Kubernetes service network (AKS networkProfile): must overlap no VNet of the fleet.
   * @default - the reference's 172.16.0.0/16 with the DNS service at 172.16.0.10
   */
  network: z
    .strictObject({
      serviceCidr: cidr.default(DEFAULT_SERVICE_NETWORK.serviceCidr),
      dnsServiceIp: ipv4.default(DEFAULT_SERVICE_NETWORK.dnsServiceIp),
    })
    .prefault({}),
});

export const RegionSchema = z.strictObject({
  hub: HubSchema,
  clusters: z.array(ClusterSchema).min(1, 'at least one cluster per region'),
});

export const WorkloadSchema = z.strictObject({
  /** Workload namespace (the reference uses a0042). */
  namespace: dnsLabel,
  /** Application name: Deployment, Service and Ingress names derive from it. */
  name: dnsLabel,
  image: pinnedImage,
  replicas: z.int().min(1).max(100),
  /** Container port the application listens on. */
  port: z.int().min(1024).max(65535),
  /** HTTP path of the application's health endpoint (readiness and liveness probes). @default '/healthz' */
  healthPath: z
    .string()
    .regex(/^\/[A-Za-z0-9._~\/-]*$/, 'an absolute URL path like /healthz')
    .default('/healthz'),
  /**
   * Requests and limits of one application container; quotas are sized from them for failover (2× load).
   * @default - the reference's 50m/128Mi requests and 100m/256Mi limits
   */
  resources: ResourcesSchema.default({
    requests: { cpuMillicores: 50, memoryMiB: 128 },
    limits: { cpuMillicores: 100, memoryMiB: 256 },
  }),
});

/**
 * The internal ingress controller (Traefik v3), deployed by our own constructs: no Helm chart, no CRDs.
 * Its image is pulled from the fleet's container registry (the allowed-images policy denies docker.io):
 * import it first, e.g. `az acr import --name <registry> --source docker.io/library/traefik:<tag> --image library/traefik:<tag>`.
 */
export const IngressControllerSchema = z.strictObject({
  /**
   * Namespace of the ingress controller, apart from the workload so that the workload's operators cannot run pods
   * under the controller's Key Vault identity. The identity's federated credential subject is
   * `system:serviceaccount:<namespace>:traefik-ingress-controller`.
   * @default 'traefik-ingress'
   */
  namespace: dnsLabel.default(DEFAULT_INGRESS_CONTROLLER_NAMESPACE),
  image: z
    .strictObject({
      /** Repository inside the fleet's container registry. @default 'library/traefik' */
      repository: z
        .string()
        .regex(
          /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/,
          'a registry repository path like library/traefik',
        )
        .default('library/traefik'),
      /** Pinned Traefik v3 release tag: the configuration uses v3 names (e.g. the ipAllowList middleware). @default 'v3.7.11' */
      tag: z
        .string()
        .regex(/^v3\.\d+\.\d+$/, 'a pinned Traefik v3 release tag like v3.7.11 (the configuration is written for v3)')
        .default('v3.7.11'),
    })
    .prefault({}),
  /** Replicas, spread one per node and across zones. @default 2 */
  replicas: z.int().min(2, 'at least 2 (one replica is a single point of failure)').max(10).default(2),
});

/** Kinds of Git credentials the AKS Flux extension accepts (its `configurationProtectedSettings`). */
export const GIT_AUTH_KINDS = ['https-token', 'ssh'] as const;

/**
 * How Flux authenticates to a private repository — by reference only: the secret (token or private key) is a secure
 * input of `fleet infra deploy` (FLEET_GIT_TOKEN / FLEET_GIT_SSH_PRIVATE_KEY_FILE), never a model value.
 */
export const GitAuthSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('https-token'),
    /** HTTPS user name sent with the token (not secret). @default 'git' */
    username: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,100}$/, 'a user name of letters, digits, ".", "_" or "-"')
      .default('git'),
  }),
  z.strictObject({
    kind: z.literal('ssh'),
    /** known_hosts lines of the Git host (public keys, pinned in review), e.g. "github.com ssh-ed25519 AAAA…". */
    knownHosts: z
      .array(
        z
          .string()
          .regex(
            /^[^\s#]+ (ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+$/,
            'a known_hosts line "<host> <key type> <base64 key>"',
          ),
      )
      .min(1, 'at least one known_hosts line of the Git host'),
  }),
]);

/** The fleet repository Flux reads; no credentials in the URL (they would land in git and in ARM templates). */
export const GitSourceSchema = z
  .strictObject({
    /** https:// (public, or private with `auth.kind: https-token`) or ssh:// (with `auth.kind: ssh`) Git URL. */
    url: z
      .string()
      .regex(/^(https|ssh):\/\/[^\s]+$/, 'an https:// (or, with ssh auth, ssh://) Git URL (TLS or SSH on every hop)'),
    branch: z.string().regex(/^[A-Za-z0-9._/-]+$/, 'a Git branch name'),
    /** Credentials of a private repository, by reference. @default - none (a public repository) */
    auth: GitAuthSchema.optional(),
  })
  .superRefine((source, context) => {
    const userInfo = /^[a-z]+:\/\/([^/@]*)@/.exec(source.url)?.[1];
    if (userInfo?.includes(':')) {
      // The value is not echoed: it holds a secret.
      context.addIssue({
        code: 'custom',
        path: ['url'],
        input: source.url.replace(userInfo, '<redacted>'),
        message: 'a URL without credentials (user:token@ would be written into git and the infrastructure templates)',
        params: {
          fix: 'remove "user:token@" from the URL; name the credentials in gitSource.auth and pass the secret to `fleet infra deploy`',
        },
      });
      return;
    }
    const ssh = source.url.startsWith('ssh://');
    if (ssh !== (source.auth?.kind === 'ssh')) {
      context.addIssue({
        code: 'custom',
        path: ['url'],
        input: source.url,
        message: ssh ? 'an https:// URL, or auth.kind "ssh" for an ssh:// URL' : 'an ssh:// URL for auth.kind "ssh"',
        params: {
          fix: ssh
            ? 'set gitSource.auth to { kind: ssh, knownHosts: [...] }, or use the https:// URL of the repository'
            : 'use the ssh:// URL of the repository (ssh://git@<host>/<path>), or remove gitSource.auth',
        },
      });
    }
    if (source.url.startsWith('https://') && /^https:\/\/[^/]*@/.test(source.url)) {
      context.addIssue({
        code: 'custom',
        path: ['url'],
        input: source.url,
        message: 'an https:// URL without a user name (user@ belongs in gitSource.auth.username)',
        params: {
          fix: 'remove "user@" from the URL; a private repository names its user in gitSource.auth (kind: https-token, username: <user>)',
        },
      });
    }
  });

export const FleetSpecSchema = z.strictObject({
  organization: z.strictObject({
    businessUnit: z.string().regex(/^[A-Za-z0-9]{2,20}$/, 'letters and digits, like BU0001'),
    appId: z.string().regex(/^[A-Za-z0-9]{2,20}$/, 'letters and digits, like BU0001A0042'),
  }),
  dns: z.strictObject({
    /** Public DNS domain; the internal ingress domain is `aks-ingress.<domain>`. */
    domain: z
      .string()
      .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, 'a lowercase DNS domain like contoso.com'),
  }),
  sharedServices: z.strictObject({
    /** Azure region of the shared resource group (ACR home, Log Analytics, base firewall policy). */
    location: z.string(),
    containerRegistry: z.strictObject({
      name: z.string().regex(/^[a-z0-9]{5,50}$/, '5–50 lowercase letters or digits (Azure Container Registry naming)'),
    }),
    frontDoor: z.strictObject({
      name: z
        .string()
        .regex(
          /^[a-zA-Z0-9][a-zA-Z0-9-]{0,258}[a-zA-Z0-9]$/,
          'letters, digits and hyphens (Front Door profile naming)',
        ),
    }),
    logAnalytics: z.strictObject({
      workspaceName: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/, '4–63 letters, digits or hyphens (Log Analytics naming)'),
    }),
  }),
  gitSource: GitSourceSchema,
  workload: WorkloadSchema,
  /** @default - Traefik v3.7.11 from the fleet registry, 2 replicas, in namespace traefik-ingress */
  ingressController: IngressControllerSchema.prefault({}),
  /** Regions keyed by Azure region name (eastus2, centralus …). */
  regions: z.record(mapKey, RegionSchema),
  /**
   * Declared exceptions to `fleet validate` security rules: each names the rule, the workload and why. Reviewed like
   * any other change; an exception without a reason is rejected.
   */
  policyExceptions: z
    .array(
      z.strictObject({
        rule: z
          .string()
          .regex(
            /^security\/[a-z-]+$/,
            'a security rule id like security/read-only-root-fs (see `fleet validate --list-rules`)',
          ),
        namespace: z.string(),
        name: z.string(),
        reason: z.string().min(10, 'a reason of at least 10 characters a reviewer can judge'),
      }),
    )
    .default([]),
  /**
   * Workloads that call the Kubernetes API and so may mount a service-account token (`fleet validate` refuses the
   * token everywhere else), each with the reason.
   */
  apiAccess: z
    .array(
      z.strictObject({
        namespace: z.string(),
        name: z.string(),
        reason: z.string().min(10, 'a reason of at least 10 characters a reviewer can judge'),
      }),
    )
    .default([]),
  /** Staged rollout (rollout.ts). @default - one wave per region, in fleet order */
  rollout: RolloutSchema.optional(),
});

export const FleetSchema = z.strictObject({
  apiVersion: z.literal(FLEET_API_VERSION),
  kind: z.literal(FLEET_KIND),
  metadata: z.strictObject({ name: dnsLabel }),
  spec: FleetSpecSchema,
});

/**
 * One cluster in its own file (the directory form of a fleet): the cluster plus the region it belongs to.
 */
export const ClusterDocumentSchema = z.strictObject({
  apiVersion: z.literal(FLEET_API_VERSION),
  kind: z.literal(CLUSTER_KIND),
  metadata: z.strictObject({ name: dnsLabel }),
  spec: ClusterSchema.omit({ name: true }).extend({ region: z.string() }),
});

export type Fleet = z.infer<typeof FleetSchema>;
export type FleetSpec = Fleet['spec'];
export type Region = z.infer<typeof RegionSchema>;
export type Cluster = z.infer<typeof ClusterSchema>;
export type NodePool = z.infer<typeof NodePoolSchema>;
export type Workload = z.infer<typeof WorkloadSchema>;
export type Resources = z.infer<typeof ResourcesSchema>;
export type IngressController = z.infer<typeof IngressControllerSchema>;
export type GitSource = z.infer<typeof GitSourceSchema>;
export type GitAuth = z.infer<typeof GitAuthSchema>;
