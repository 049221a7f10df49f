import { describe, expect, it } from 'vitest';
import { traefikDynamicConfiguration, traefikStaticConfiguration } from './traefik-configuration.ts';

const STATIC = traefikStaticConfiguration({
  ingressClassName: 'traefik-internal',
  watchNamespaces: ['a0042'],
  publishedIp: '10.243.4.4',
  trustedCidrs: ['10.243.5.0/24'],
});
const DYNAMIC = traefikDynamicConfiguration({
  allowedCidrs: ['10.243.5.0/24'],
  certificateFile: 'tls.crt',
  keyFile: 'tls.key',
  minTlsVersion: 'VersionTLS12',
});

describe('Traefik static configuration', () => {
  it('makes websecure :8443 the only default entry point, TLS on, forwarded headers trusted from the App Gateway subnet only', () => {
    expect(STATIC).toContain(
      '[entryPoints.websecure]\naddress = ":8443"\nasDefault = true\n\n[entryPoints.websecure.forwardedHeaders]\ntrustedIPs = [ "10.243.5.0/24" ]\n\n[entryPoints.websecure.http]\nmiddlewares = [ "app-gateway-allowlist@file", "gzip-compress@file" ]\n\n[entryPoints.websecure.http.tls]\n',
    );
    expect(STATIC).toContain('[entryPoints.traefik]\naddress = ":9000"\nasDefault = false\n');
    expect(STATIC).toContain('[entryPoints.metrics]\naddress = ":8082"\nasDefault = false\n');
  });

  it('limits the Ingress provider to the IngressClass and the watched namespaces, and logs JSON without phoning home', () => {
    expect(STATIC).toContain(
      '[providers.kubernetesIngress]\ningressClass = "traefik-internal"\nnamespaces = [ "a0042" ]\nallowExternalNameServices = false\n',
    );
    expect(STATIC).toContain('[providers.kubernetesIngress.ingressEndpoint]\nip = "10.243.4.4"\n');
    expect(STATIC).toContain('[global]\ncheckNewVersion = false\nsendAnonymousUsage = false\n');
    expect(STATIC).toContain('[log]\nlevel = "INFO"\nformat = "json"\n');
    expect(STATIC).toContain('[accessLog]\nformat = "json"\n');
    expect(STATIC).not.toMatch(/\[api\]|dashboard/);
  });
});

describe('Traefik dynamic configuration', () => {
  it('defines the v3 ipAllowList on the App Gateway subnet (not v2 ipWhiteList) and gzip', () => {
    expect(DYNAMIC).toContain(
      '[http.middlewares.app-gateway-allowlist.ipAllowList]\nsourceRange = [ "10.243.5.0/24" ]\n',
    );
    expect(DYNAMIC).not.toContain('ipWhiteList');
    expect(DYNAMIC).not.toContain('ipStrategy');
    expect(DYNAMIC).toContain('[http.middlewares.gzip-compress.compress]\n');
  });

  it('requires TLS 1.2+, strict SNI, and serves the CSI-mounted certificate', () => {
    expect(DYNAMIC).toContain('[tls.options.default]\nminVersion = "VersionTLS12"\nsniStrict = true\n');
    expect(DYNAMIC).toContain(
      '[tls.stores.default.defaultCertificate]\ncertFile = "/certs/tls.crt"\nkeyFile = "/certs/tls.key"\n',
    );
    expect(DYNAMIC).toContain(
      '[[tls.certificates]]\ncertFile = "/certs/tls.crt"\nkeyFile = "/certs/tls.key"\nstores = [ "default" ]\n',
    );
  });

  it('matches the snapshots', () => {
    expect(STATIC).toMatchSnapshot();
    expect(DYNAMIC).toMatchSnapshot();
  });
});
