/**
 * Exporting the pipeline's OpenTelemetry spans to Application Insights, only when its
 * connection string is configured (APPLICATIONINSIGHTS_CONNECTION_STRING, an infra/ output).
 * The Application Insights resource accepts telemetry only with an Entra ID token (local auth
 * is off), so in Azure pass the app's credential; the identity holds Monitoring Metrics
 * Publisher.
 *
 * @module
 */
import type { TokenCredential } from "@azure/identity";
import { AzureMonitorTraceExporter } from "@azure/monitor-opentelemetry-exporter";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";

/** Options of the Application Insights export. */
export interface AzureMonitorExportOptions {
  /** Entra ID credential for ingestion (required when the resource's local auth is off). */
  credential?: TokenCredential;
  /** Cloud role name in Application Insights (default `contoso-chat`). */
  serviceName?: string;
  serviceVersion?: string;
  /** Longest a span waits in the batch before it is sent (default 5000 ms). */
  scheduledDelayMs?: number;
  /** Do not keep unsent telemetry on disk for a retry (default false). */
  disableOfflineStorage?: boolean;
}

/** A running export: flush before a short-lived process exits; shut down on stop. */
export interface TraceExport {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * A span processor that batches spans to Application Insights; add it to your own tracer
 * provider. Throws a `TypeError` on a malformed connection string.
 */
export function createAzureMonitorSpanProcessor(
  connectionString: string,
  options: AzureMonitorExportOptions = {},
): SpanProcessor {
  if (!/InstrumentationKey=/i.test(connectionString)) {
    throw new TypeError(
      "Cannot export traces: APPLICATIONINSIGHTS_CONNECTION_STRING has no InstrumentationKey",
    );
  }
  const exporter = new AzureMonitorTraceExporter({
    connectionString,
    credential: options.credential,
    disableOfflineStorage: options.disableOfflineStorage,
  });
  return new BatchSpanProcessor(exporter, {
    scheduledDelayMillis: options.scheduledDelayMs ?? 5000,
  });
}

/**
 * Register a global tracer provider that sends every span to Application Insights. Returns
 * `undefined` when no connection string is configured (nothing is exported then). Call it
 * once, at start-up, before any span is created.
 *
 * @example
 * ```ts ignore
 * const tracing = startAzureMonitorExport(config.applicationInsightsConnectionString, {
 *   credential: new DefaultAzureCredential({ managedIdentityClientId: config.azureClientId }),
 * });
 * // … on shutdown:
 * await tracing?.shutdown();
 * ```
 */
export function startAzureMonitorExport(
  connectionString: string | undefined,
  options: AzureMonitorExportOptions = {},
): TraceExport | undefined {
  if (!connectionString?.trim()) return undefined;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      "service.name": options.serviceName ?? "contoso-chat",
      ...(options.serviceVersion ? { "service.version": options.serviceVersion } : {}),
    }),
    spanProcessors: [createAzureMonitorSpanProcessor(connectionString.trim(), options)],
  });
  if (!trace.setGlobalTracerProvider(provider)) {
    void provider.shutdown();
    throw new Error(
      "Cannot export traces to Application Insights: a tracer provider is already registered " +
        "(start the export before the span recorder, once per process)",
    );
  }
  // Nested spans (startActiveSpan in the pipeline) join their parent's trace only with a
  // context manager; keep one that is already registered.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  return {
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
