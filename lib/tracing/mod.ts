/**
 * Tracing: the pipeline's OpenTelemetry spans, collected in memory so the CLI and notebooks
 * can show a timeline of each request. `startAzureMonitorExport` sends them to Application
 * Insights when its connection string is configured; it is not re-exported here, so importing
 * this barrel (or `lib/mod.ts`) does not load the Azure Monitor exporter: import
 * `lib/tracing/azure_monitor.ts` where it is used (the server loads it only when configured).
 *
 * @module
 */
export * from "./gen_ai.ts";
export * from "./span_recorder.ts";
export * from "./span_timing.ts";
