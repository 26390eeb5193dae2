/**
 * The Helm chart, rendered by the real helm binary for the default values and each realistic
 * values file, checked against the Kubernetes schemas (plus a strict unknown-field check) and for
 * the properties that matter in production.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfigDetailed } from '@mirrorball/config';
import { beforeAll, describe, expect, it } from 'vitest';
import { configValuesSchema } from './config-schema.ts';
import { CHART, ensureHelm, helm, render, renderError, REPO } from './helm.ts';
import { StrictChecker, validateModel, type K8sObject } from './k8s-schema.ts';

// Rendered manifests and Grafana JSON are read loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;

type Obj = K8sObject & { spec?: J; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> } };

const VALUE_FILES = [
  ...readdirSync(path.join(CHART, 'ci')).map((f) => `deploy/helm/mirrorball/ci/${f}`),
  ...readdirSync(path.join(REPO, 'deploy/helm/examples')).map((f) => `deploy/helm/examples/${f}`),
].sort();
const SCENARIOS: { name: string; values: string[] }[] = [{ name: 'default values', values: [] }, ...VALUE_FILES.map((f) => ({ name: path.basename(f), values: [f] }))];

const rendered = new Map<string, Obj[]>();
const scenario = (file: string) => rendered.get(file)!;
const find = (objs: Obj[], kind: string, suffix: string) => objs.find((o) => o.kind === kind && o.metadata.name.endsWith(suffix));

/** Every pod template with the object that owns it. */
function pods(objs: Obj[]): { owner: Obj; meta: J; spec: J }[] {
  const out: { owner: Obj; meta: J; spec: J }[] = [];
  for (const o of objs) {
    if (o.kind === 'Deployment') out.push({ owner: o, meta: o.spec.template.metadata, spec: o.spec.template.spec });
    if (o.kind === 'CronJob') out.push({ owner: o, meta: o.spec.jobTemplate.spec.template.metadata, spec: o.spec.jobTemplate.spec.template.spec });
  }
  return out;
}
const isMirrorball = (p: { owner: Obj }) => ['api', 'worker', 'scanner'].includes(p.owner.metadata.labels?.['app.kubernetes.io/component'] ?? '');
const configOf = (objs: Obj[]) => (find(objs, 'Secret', '-config') as J).stringData['mirrorball.yaml'] as string;

beforeAll(() => {
  ensureHelm();
  for (const s of SCENARIOS) rendered.set(s.name, render({ values: s.values }) as Obj[]);
});

describe('helm lint --strict', () => {
  it.each(SCENARIOS)('$name', ({ values }) => {
    const r = helm(['lint', '--strict', CHART, ...values.flatMap((v) => ['-f', path.join(REPO, v)])]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('0 chart(s) failed');
  });
});

describe('rendered objects', () => {
  let strict: StrictChecker;
  beforeAll(() => {
    strict = new StrictChecker([...rendered.values()].flat());
  });

  it.each(SCENARIOS)('$name: validate against the Kubernetes schemas, with no unknown field', ({ name }) => {
    const objs = scenario(name);
    expect(objs.length).toBeGreaterThan(5);
    for (const o of objs) {
      expect(() => validateModel(o), `${o.kind} ${o.metadata.name}`).not.toThrow();
      expect(strict.unknownFields(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
    }
  });

  it('the strict check catches a misspelt field that the schema validation lets through', () => {
    const dep = structuredClone(find(scenario('default values'), 'Deployment', '-api')!);
    dep.spec.template.spec.containers[0].readinesProbe = dep.spec.template.spec.containers[0].readinessProbe;
    dep.spec.template.spec.securityContext.runAsNonroot = true;
    expect(() => validateModel(dep)).not.toThrow();
    expect(strict.unknownFields(dep)).toEqual(['spec.template.spec.securityContext.runAsNonroot', 'spec.template.spec.containers[0].readinesProbe']);
    dep.spec.replicas = 'two';
    expect(() => validateModel(dep)).toThrow(/replicas/);
  });

  it.each(SCENARIOS)('$name: names are unique per kind and fit DNS labels', ({ name }) => {
    const seen = new Set<string>();
    for (const o of scenario(name)) {
      const key = `${o.kind}/${o.metadata.name}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    }
  });
});

describe('configuration Secret', () => {
  it.each(SCENARIOS)('$name: the rendered mirrorball.yaml is a valid configuration with no unknown key', ({ name }) => {
    const { config, warnings } = parseConfigDetailed(configOf(scenario(name)), { source: 'mirrorball.yaml', requireRepository: true });
    expect(warnings).toEqual([]);
    expect(config.ListenAddress).toBe(':8080');
    expect(config.AdminListenAddress).toBe(':8081');
  });

  it.each(SCENARIOS)('$name: every pod carries the checksum of the rendered configuration', ({ name }) => {
    const objs = scenario(name);
    const sum = createHash('sha256').update(configOf(objs).replace(/\n$/, '')).digest('hex');
    const mb = pods(objs).filter(isMirrorball);
    expect(mb.length).toBeGreaterThan(0);
    for (const p of mb) expect(p.meta.annotations?.['checksum/config'], p.owner.metadata.name).toBe(sum);
  });

  it('changes the checksum (so pods roll) when the configuration changes, and only then', () => {
    const a = render({ set: ['config.ScanInterval=30'] });
    const b = render({ set: ['config.ScanInterval=31'] });
    const c = render({ set: ['config.ScanInterval=30', 'api.replicas=3'] });
    const sum = (objs: K8sObject[]) => pods(objs as Obj[]).find((p) => p.owner.metadata.name.endsWith('-api'))!.meta.annotations['checksum/config'];
    expect(sum(a)).not.toBe(sum(b));
    expect(sum(a)).toBe(sum(c));
  });

  it('Sentinel with auth and TLS: hosts, master, TLS and a private CA; passwords from the existing Secret', () => {
    const objs = scenario('production-values.yaml');
    const { config } = parseConfigDetailed(configOf(objs), { requireRepository: true });
    expect(config.RedisSentinelMasterName).toBe('mirrorball');
    expect(config.RedisSentinels.map((s) => s.Host)).toHaveLength(3);
    expect(config.RedisTLS).toBe(true);
    expect(config.RedisDB).toBe(2);
    expect(config.RedisPassword).toBe('');
    const api = find(objs, 'Deployment', '-api')!.spec.template.spec.containers[0];
    const env = Object.fromEntries(api.env.map((e: J) => [e.name, e]));
    expect(env.MIRRORBALL_REDIS_SENTINEL_PASSWORD.valueFrom.secretKeyRef).toEqual({ name: 'mirrorball-secrets', key: 'redis-sentinel-password', optional: true });
    expect(env.MIRRORBALL_REDIS_PASSWORD.valueFrom.secretKeyRef.key).toBe('redis-password');
    expect(env.MIRRORBALL_ADMIN_TOKEN.valueFrom.secretKeyRef.key).toBe('admin-token');
    expect(env.NODE_EXTRA_CA_CERTS.value).toBe('/etc/mirrorball/redis-ca/ca.crt');
    // Bucket keys reach the scanner only.
    expect(env.MIRRORBALL_SOURCE__S3__SECRET_ACCESS_KEY).toBeUndefined();
    const scanner = find(objs, 'Deployment', '-scanner')!.spec.template.spec.containers[0];
    expect(scanner.env.some((e: J) => e.name === 'MIRRORBALL_SOURCE__S3__SECRET_ACCESS_KEY')).toBe(true);
    // LogDir on an extra writable volume; a stopping api pod drains first.
    expect(api.volumeMounts.find((m: J) => m.mountPath === '/var/log/mirrorball')?.name).toBe('logs');
    expect(api.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    expect(find(objs, 'Deployment', '-redis')).toBeUndefined();
  });

  it('bundled Redis: the apps point at the chart Service; noeviction for BullMQ', () => {
    const objs = scenario('small-site-values.yaml');
    const { config } = parseConfigDetailed(configOf(objs), { requireRepository: true });
    const svc = find(objs, 'Service', '-redis')!;
    expect(config.RedisAddress).toBe(`${svc.metadata.name}:6379`);
    const redis = find(objs, 'Deployment', '-redis')!.spec.template.spec.containers[0];
    expect(redis.args.join(' ')).toContain('--maxmemory-policy noeviction');
    expect(redis.args.join(' ')).toContain('--appendonly yes');
    expect(find(objs, 'PersistentVolumeClaim', '-redis')!.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
  });
});

describe('pods', () => {
  it.each(SCENARIOS)('$name: non-root, no privilege escalation, all capabilities dropped, read-only root, writable /tmp', ({ name }) => {
    for (const p of pods(scenario(name))) {
      const who = p.owner.metadata.name;
      expect(p.spec.securityContext?.runAsNonRoot, who).toBe(true);
      expect(p.spec.securityContext?.seccompProfile?.type, who).toBe('RuntimeDefault');
      expect(p.spec.automountServiceAccountToken, who).toBe(false);
      for (const c of [...(p.spec.initContainers ?? []), ...p.spec.containers]) {
        const sc = c.securityContext ?? {};
        expect(sc.allowPrivilegeEscalation, `${who}/${c.name}`).toBe(false);
        expect(sc.readOnlyRootFilesystem, `${who}/${c.name}`).toBe(true);
        expect(sc.capabilities?.drop, `${who}/${c.name}`).toEqual(['ALL']);
        expect(c.resources?.requests?.memory, `${who}/${c.name}`).toBeDefined();
        expect(c.resources?.limits?.memory, `${who}/${c.name}`).toBeDefined();
      }
      if (isMirrorball(p)) {
        expect(p.spec.securityContext.runAsUser, who).toBe(10001);
        const c = p.spec.containers[0];
        const tmp = c.volumeMounts.find((m: J) => m.mountPath === '/tmp');
        expect(tmp?.readOnly, who).not.toBe(true);
        expect(p.spec.volumes.find((v: J) => v.name === tmp.name)?.emptyDir, who).toBeDefined();
        expect(c.args[0], who).toMatch(/^mirrorball-(api|worker|scanner)$/);
        expect(c.env.find((e: J) => e.name === 'MIRRORBALL_CONFIG')?.value).toBe('/etc/mirrorball/mirrorball.yaml');
      }
    }
  });

  it.each(SCENARIOS)('$name: probes hit /healthz and /readyz on the port the app listens on for them', ({ name }) => {
    const objs = scenario(name);
    const { config } = parseConfigDetailed(configOf(objs), { requireRepository: true });
    const listener: Record<string, string> = { api: config.AdminListenAddress, worker: config.WorkerListenAddress, scanner: config.ScannerListenAddress };
    let checked = 0;
    for (const p of pods(objs).filter((x) => isMirrorball(x) && x.owner.kind === 'Deployment')) {
      const component = p.owner.metadata.labels!['app.kubernetes.io/component']!;
      const c = p.spec.containers[0];
      const portOf = (name: string) => c.ports.find((x: J) => x.name === name)?.containerPort;
      expect(c.livenessProbe.httpGet.path).toBe('/healthz');
      expect(c.readinessProbe.httpGet.path).toBe('/readyz');
      expect(`:${portOf(c.livenessProbe.httpGet.port)}`).toBe(listener[component]);
      expect(`:${portOf(c.readinessProbe.httpGet.port)}`).toBe(listener[component]);
      if (component === 'api') {
        expect(c.startupProbe.httpGet.path).toBe('/healthz');
        expect(`:${portOf('http')}`).toBe(config.ListenAddress);
      }
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  it('spreads api pods over zones and nodes by default', () => {
    const spec = find(scenario('default values'), 'Deployment', '-api')!.spec.template.spec;
    expect(spec.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
  });
});

describe('exposure', () => {
  it.each(SCENARIOS)('$name: the Ingress routes only to the public port; the admin Service stays internal', ({ name }) => {
    const objs = scenario(name);
    const publicSvc = find(objs, 'Service', '-api')!;
    const admin = find(objs, 'Service', '-admin')!;
    expect(admin.spec.type).toBe('ClusterIP');
    expect(publicSvc.spec.ports.map((p: J) => p.targetPort)).toEqual(['http']);
    for (const ing of objs.filter((o) => o.kind === 'Ingress')) {
      for (const rule of ing.spec.rules)
        for (const p of rule.http.paths) {
          expect(p.backend.service.name).toBe(publicSvc.metadata.name);
          expect(p.backend.service.port).toEqual({ name: 'http' });
        }
    }
  });

  it('renders an Ingress only when asked, and refuses a LoadBalancer for the admin Service', () => {
    expect(scenario('default values').some((o) => o.kind === 'Ingress')).toBe(false);
    expect(scenario('small-site-values.yaml').some((o) => o.kind === 'Ingress')).toBe(true);
    expect(renderError({ set: ['api.adminService.type=LoadBalancer'] })).toMatch(/adminService.*type/s);
  });

  it('NetworkPolicy: the admin port only from the release, the admin clients and the scraper', () => {
    const np = find(scenario('production-values.yaml'), 'NetworkPolicy', '-api')!;
    const [publicRule, adminRule] = np.spec.ingress;
    expect(publicRule.ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
    expect(publicRule.from).toBeUndefined();
    expect(adminRule.ports).toEqual([{ port: 'admin', protocol: 'TCP' }]);
    expect(adminRule.from).toHaveLength(3);
    expect(adminRule.from[0].podSelector.matchLabels['app.kubernetes.io/instance']).toBe('mb');
  });
});

describe('scaling and scheduling variants', () => {
  it('HPA drives the api Deployment (no fixed replicas) and a PDB keeps pods up', () => {
    const objs = scenario('production-values.yaml');
    const dep = find(objs, 'Deployment', '-api')!;
    const hpa = find(objs, 'HorizontalPodAutoscaler', '-api')!;
    expect(dep.spec.replicas).toBeUndefined();
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: dep.metadata.name });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([3, 30]);
    expect(find(objs, 'PodDisruptionBudget', '-api')!.spec.minAvailable).toBe(2);
  });

  it('scanner as a CronJob with IRSA: --once, its own annotated ServiceAccount, no static keys, no scrape target', () => {
    const objs = scenario('s3-cronjob-irsa-values.yaml');
    const cron = find(objs, 'CronJob', '-scanner')!;
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    expect(pod.containers[0].args).toEqual(['mirrorball-scanner', '--once']);
    const sa = find(objs, 'ServiceAccount', '-scanner')!;
    expect(pod.serviceAccountName).toBe(sa.metadata.name);
    expect(sa.metadata.annotations?.['eks.amazonaws.com/role-arn']).toMatch(/^arn:aws:iam::/);
    const appSa = objs.find((o) => o.kind === 'ServiceAccount' && o !== sa)!;
    expect(appSa.metadata.annotations).toBeUndefined();
    const { config } = parseConfigDetailed(configOf(objs), { requireRepository: true });
    expect(config.Source.Type).toBe('s3');
    expect(config.Source.S3.AccessKeyId).toBe('');
    expect(config.RedisTLS).toBe(true);
    expect(find(objs, 'Deployment', '-scanner')).toBeUndefined();
    expect(find(objs, 'ServiceMonitor', '-scanner')).toBeUndefined();
    expect(find(objs, 'ServiceMonitor', '-api')).toBeDefined();
    // GeoIP by initContainer into the api pod's own volume.
    const api = find(objs, 'Deployment', '-api')!.spec.template.spec;
    expect(api.initContainers[0].name).toBe('geoipupdate');
    expect(api.initContainers[0].volumeMounts.find((m: J) => m.name === 'geoip').readOnly).toBeUndefined();
    expect(api.containers[0].volumeMounts.find((m: J) => m.name === 'geoip').readOnly).toBe(true);
  });

  it('local repository on an existing claim is mounted read-only into the scanner only', () => {
    const objs = scenario('small-site-values.yaml');
    const scanner = find(objs, 'Deployment', '-scanner')!.spec.template.spec;
    expect(scanner.volumes.find((v: J) => v.name === 'repository').persistentVolumeClaim).toEqual({ claimName: 'distro-repository', readOnly: true });
    expect(find(objs, 'Deployment', '-api')!.spec.template.spec.volumes.some((v: J) => v.name === 'repository')).toBe(false);
  });

  it('GeoIP CronJob writes the shared claim the api pods read', () => {
    const objs = scenario('production-values.yaml');
    const cron = find(objs, 'CronJob', '-geoipupdate')!;
    const claim = find(objs, 'PersistentVolumeClaim', '-geoip')!;
    expect(cron.spec.jobTemplate.spec.template.spec.volumes.find((v: J) => v.name === 'geoip').persistentVolumeClaim.claimName).toBe(claim.metadata.name);
    const api = find(objs, 'Deployment', '-api')!.spec.template.spec;
    expect(api.volumes.find((v: J) => v.name === 'geoip').persistentVolumeClaim).toEqual({ claimName: claim.metadata.name, readOnly: true });
    const { config } = parseConfigDetailed(configOf(objs), { requireRepository: true });
    expect(config.GeoipDatabasePath).toBe('/usr/share/GeoIP');
  });
});

describe('values.schema.json', () => {
  it('lists exactly the configuration keys of @mirrorball/config (regenerate with deploy/helm/write-schema.ts)', () => {
    const schema = JSON.parse(readFileSync(path.join(CHART, 'values.schema.json'), 'utf8'));
    expect(schema.properties.config).toEqual(configValuesSchema());
  });

  it.each([
    ['a misspelt configuration key', 'config.RedisAdress=x', /RedisAdress/],
    ['a key the chart sets itself', 'config.RedisAddress=x', /RedisAddress/],
    ['a misspelt nested key', 'config.Source.S3.Bucketname=x', /Bucketname/],
    ['a misspelt chart value', 'api.replica=3', /replica/],
    ['a wrong type', 'api.replicas=many', /replicas/],
    ['an unknown scanner mode', 'scanner.mode=daemon', /mode/],
    ['an unknown GeoIP source', 'geoip.source=maxmind', /source/],
  ])('rejects %s', (_, set, message) => {
    expect(renderError({ set: [set] })).toMatch(message);
  });

  it('fails with a clear message when no Redis is configured, or Sentinel lacks a master name', () => {
    expect(renderError({ set: ['redis.bundled.enabled=false'] })).toContain('set redis.address or redis.sentinel.hosts');
    expect(renderError({ set: ['redis.bundled.enabled=false', 'redis.sentinel.hosts[0]=s:26379'] })).toContain('redis.sentinel.masterName is required');
    expect(renderError({ set: ['geoip.source=geoipupdate'] })).toContain('geoip.geoipupdate.existingSecret is required');
  });
});
