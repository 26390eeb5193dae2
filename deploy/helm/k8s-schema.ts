/**
 * Validation of rendered manifests against the Kubernetes API (kubernetes-models 4.5, i.e. the
 * OpenAPI schemas of its Kubernetes version, plus the prometheus-operator CRDs).
 *
 * kubernetes-models' validators ignore unknown fields, so a misspelt `readinesProbe` would pass;
 * `unknownFields` closes that gap by walking each object against the models' TypeScript
 * declarations (generated from the same OpenAPI schemas) with the TypeScript compiler.
 */
import { createRequire } from 'node:module';
import ts from 'typescript';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
  [k: string]: unknown;
}

/** Module (without extension) that declares a kind: core `v1` → kubernetes-models/v1/<Kind>. */
export function modelModule(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  return `kubernetes-models/${group ? group + '/' : ''}${version}/${kind}`;
}

const require = createRequire(import.meta.url);

/** kubernetes-models' own validation (types, enums, required fields, formats); throws with the errors. */
export function validateModel(obj: K8sObject): void {
  const mod = require(modelModule(obj.apiVersion, obj.kind)) as Record<string, unknown>;
  const Model = mod[obj.kind] as (new (d: unknown) => { validate(): void }) | undefined;
  if (!Model) throw new Error(`no model for ${obj.apiVersion} ${obj.kind}`);
  new Model(obj).validate();
}

/** Type-driven walk over the declarations of every kind asked for (one TypeScript program). */
export class StrictChecker {
  private checker: ts.TypeChecker;
  private roots = new Map<string, ts.Type>();
  private anchor: ts.Node;

  constructor(kinds: readonly { apiVersion: string; kind: string }[]) {
    const unique = [...new Map(kinds.map((k) => [`${k.apiVersion}/${k.kind}`, k])).values()];
    const lines = unique.map((k, i) => `import type { I${k.kind} as T${i} } from ${JSON.stringify(modelModule(k.apiVersion, k.kind))};\nexport type R${i} = T${i};`);
    const fileName = require.resolve('kubernetes-models/package.json').replace(/package\.json$/, '__strict_check__.ts');
    const source = lines.join('\n');
    const options: ts.CompilerOptions = { noEmit: true, strict: true, moduleResolution: ts.ModuleResolutionKind.Node10, module: ts.ModuleKind.CommonJS, types: [], skipLibCheck: true };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (f, lang) => (f === fileName ? ts.createSourceFile(f, source, lang) : getSourceFile(f, lang));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (f) => f === fileName || fileExists(f);
    const program = ts.createProgram([fileName], options, host);
    const diags = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === fileName);
    if (diags.length > 0) throw new Error(`cannot load model declarations: ${ts.flattenDiagnosticMessageText(diags[0]!.messageText, '\n')}`);
    this.checker = program.getTypeChecker();
    const sf = program.getSourceFile(fileName)!;
    this.anchor = sf;
    const aliases = sf.statements.filter(ts.isTypeAliasDeclaration);
    unique.forEach((k, i) => this.roots.set(`${k.apiVersion}/${k.kind}`, this.checker.getTypeAtLocation(aliases[i]!.name)));
  }

  /** Paths of fields the API does not know, e.g. `spec.template.spec.containers[0].readinesProbe`. */
  unknownFields(obj: K8sObject): string[] {
    const root = this.roots.get(`${obj.apiVersion}/${obj.kind}`);
    if (!root) throw new Error(`StrictChecker was not built for ${obj.apiVersion} ${obj.kind}`);
    const out: string[] = [];
    this.walk(obj, root, '', out);
    return out;
  }

  private walk(value: unknown, type: ts.Type, path: string, out: string[]): void {
    if (value === null || value === undefined) return;
    const t = this.checker.getNonNullableType(type);
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    if (Array.isArray(value)) {
      const el = this.elementType(t);
      if (!el) return void out.push(`${path}: an array where the API expects no array`);
      value.forEach((v, i) => this.walk(v, el, `${path}[${i}]`, out));
      return;
    }
    if (typeof value !== 'object') return; // scalar types are kubernetes-models' job
    const objType = this.objectMember(t);
    if (!objType) return void out.push(`${path}: an object where the API expects a scalar`);
    const index = objType.getStringIndexType();
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = path ? `${path}.${k}` : k;
      const prop = objType.getProperty(k);
      if (prop) this.walk(v, this.checker.getTypeOfSymbolAtLocation(prop, this.anchor), p, out);
      else if (index) this.walk(v, index, p, out);
      else out.push(p);
    }
  }

  private elementType(t: ts.Type): ts.Type | undefined {
    for (const m of t.isUnion() ? t.types : [t]) {
      if (this.checker.isArrayType(m) || this.checker.isTupleType(m)) return this.checker.getTypeArguments(m as ts.TypeReference)[0];
    }
    return undefined;
  }

  private objectMember(t: ts.Type): ts.Type | undefined {
    for (const m of t.isUnion() ? t.types : [t]) {
      if (m.flags & ts.TypeFlags.Object && !this.checker.isArrayType(m)) return m;
    }
    return undefined;
  }
}
