/** Loads proto/mirrorbits.proto (field names kept as written: `HttpURL`, not `httpURL`). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export const PROTO_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), '../proto/mirrorbits.proto');

export function loadCliService(): grpc.GrpcObject {
  const def = protoLoader.loadSync(PROTO_PATH, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  return grpc.loadPackageDefinition(def);
}

/** The `CLI` service definition (no package). */
export function cliServiceDefinition(): grpc.ServiceDefinition {
  return (loadCliService().CLI as grpc.ServiceClientConstructor).service;
}
