/**
 * Credentials of one regional control plane, made with openssl: a CA, the kube-apiserver serving certificate for
 * 127.0.0.1, the service-account signing key pair, a static admin token (`system:masters`) and a kubeconfig that
 * uses them. Everything lives in the region's temp dir and dies with it.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';

const execFileAsync = promisify(execFile);

export interface RegionPki {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly servingCert: string;
  readonly servingKey: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
  readonly tokensFile: string;
  readonly token: string;
}

async function openssl(cwd: string, args: readonly string[]): Promise<void> {
  await execFileAsync('openssl', args, { cwd, timeout: 30_000 });
}

export async function createRegionPki(dir: string, commonName: string): Promise<RegionPki> {
  mkdirSync(dir, { recursive: true });
  const p = (file: string): string => path.join(dir, file);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl(dir, [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    `/CN=${commonName}-ca`,
  ]);
  writeFileSync(
    p('serving.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ].join('\n') + '\n',
  );
  await openssl(dir, [
    'req',
    ...ec,
    '-keyout',
    'apiserver.key',
    '-out',
    'apiserver.csr',
    '-subj',
    `/CN=${commonName}-apiserver`,
  ]);
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    'apiserver.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'apiserver.crt',
    '-days',
    '2',
    '-extfile',
    'serving.ext',
  ]);
  await openssl(dir, ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key']);
  await openssl(dir, ['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  const token = randomBytes(24).toString('hex');
  writeFileSync(p('tokens.csv'), `${token},admin,admin,"system:masters"\n`, { mode: 0o600 });
  return {
    dir,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    servingCert: p('apiserver.crt'),
    servingKey: p('apiserver.key'),
    serviceAccountKey: p('sa.key'),
    serviceAccountPub: p('sa.pub'),
    tokensFile: p('tokens.csv'),
    token,
  };
}

/** Writes a kubeconfig for `https://127.0.0.1:<port>` with the region's CA and admin token. */
export function writeKubeconfig(file: string, name: string, port: number, pki: RegionPki): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: `https://127.0.0.1:${port}`, 'certificate-authority': pki.caCert } }],
    users: [{ name: 'admin', user: { token: pki.token } }],
    contexts: [{ name, context: { cluster: name, user: 'admin', namespace: 'default' } }],
    'current-context': name,
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
}
