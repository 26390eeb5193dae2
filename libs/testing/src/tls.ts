import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface IssuedCert {
  cert: string;
  key: string;
}

export interface TestCA {
  /** PEM of the CA certificate: give it to clients as `ca` (https.Agent) or via NODE_EXTRA_CA_CERTS. */
  caCert: string;
  /** Path of the CA certificate file (for NODE_EXTRA_CA_CERTS or `curl --cacert`). */
  caFile: string;
  /** A server certificate for `host` (DNS name or IP) signed by this CA, valid for 2 days. */
  issue(host?: string): IssuedCert;
  dispose(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A throw-away certificate authority made with the `openssl` binary. */
export function createTestCA(): TestCA {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-ca-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2',
    '-subj', '/CN=Mirrorball Test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  let serial = 0;
  return {
    caCert: fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8'),
    caFile: path.join(dir, 'ca.crt'),
    issue(host = '127.0.0.1') {
      const n = ++serial;
      const isIp = /^[\d.]+$|:/.test(host);
      const san = isIp ? `IP:${host}` : `DNS:${host}`;
      fs.writeFileSync(path.join(dir, `ext${n}.cnf`),
        `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`);
      openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `s${n}.key`, '-out', `s${n}.csr`, '-subj', `/CN=${host}`], dir);
      openssl(['x509', '-req', '-in', `s${n}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
        '-out', `s${n}.crt`, '-days', '2', '-extfile', `ext${n}.cnf`], dir);
      return {
        cert: fs.readFileSync(path.join(dir, `s${n}.crt`), 'utf8'),
        key: fs.readFileSync(path.join(dir, `s${n}.key`), 'utf8'),
      };
    },
    dispose() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
