export * from './catalogue.ts';
export { createMetricsRegistry, metricsText, type AppMetrics, type ApiMetrics, type WorkerMetrics, type ScannerMetrics, type MetricsOf, type MetricsOptions } from './registry.ts';
export { startOpsServer, opsServer, type OpsServer, type OpsServerOptions } from './ops-server.ts';
