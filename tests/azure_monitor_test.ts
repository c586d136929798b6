/**
 * Application Insights export at the HTTP boundary. The exporter always sends over HTTPS, so a
 * local ingestion endpoint with a throw-away self-signed certificate (openssl) stands in for
 * Azure; the exporting process runs with network access to 127.0.0.1 only, so none of the
 * exporter's own background calls (settings, statsbeat) can leave the machine.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { startAzureMonitorExport } from "../lib/tracing/azure_monitor.ts";
import { openssl, selfSignedCertificate } from "./_azure_tls.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The fields of an Application Insights envelope this test reads. */
interface Telemetry {
  iKey: string;
  tags: Record<string, string>;
  data?: {
    baseType: string;
    baseData: { name: string; properties: Record<string, string> };
  };
}

const CHILD = (connectionString: string) => `
import { trace } from "@opentelemetry/api";
import { startAzureMonitorExport } from "${ROOT}lib/tracing/azure_monitor.ts";
const credential = {
  getToken: (scopes) => Promise.resolve({ token: "token-for-" + [scopes].flat().join(" "), expiresOnTimestamp: Date.now() + 3600_000 }),
};
const tracing = startAzureMonitorExport(${JSON.stringify(connectionString)}, {
  credential, scheduledDelayMs: 50, disableOfflineStorage: true, serviceVersion: "9.9.9",
});
const tracer = trace.getTracer("contoso-chat");
await tracer.startActiveSpan("chat.pipeline", async (span) => {
  span.setAttribute("customer.id", "7");
  tracer.startSpan("products.search").end();
  span.end();
});
await tracing.forceFlush();
await tracing.shutdown();
Deno.exit(0);
`;

Deno.test(
  "startAzureMonitorExport() sends the spans to the ingestion endpoint with an Entra ID token",
  {
    ignore: openssl.ignore,
  },
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const tls = await selfSignedCertificate(dir);
      const requests: { path: string; authorization: string | null; items: Telemetry[] }[] = [];
      const server = Deno.serve({
        port: 0,
        hostname: "127.0.0.1",
        cert: tls.cert,
        key: tls.key,
        onListen() {},
      }, async (request) => {
        let body = new Uint8Array(await request.arrayBuffer()) as Uint8Array<ArrayBuffer>;
        if (request.headers.get("content-encoding") === "gzip") {
          body = new Uint8Array(
            await new Response(
              new Blob([body]).stream().pipeThrough(new DecompressionStream("gzip")),
            )
              .arrayBuffer(),
          );
        }
        requests.push({
          path: new URL(request.url).pathname,
          authorization: request.headers.get("authorization"),
          items: JSON.parse(new TextDecoder().decode(body)),
        });
        return Response.json({ itemsReceived: 1, itemsAccepted: 1, errors: [] });
      });
      try {
        const connectionString = "InstrumentationKey=00000000-0000-0000-0000-0000000000c7;" +
          `IngestionEndpoint=https://127.0.0.1:${server.addr.port}/`;
        const child = new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "--allow-net=127.0.0.1",
            "--allow-env",
            "--allow-read",
            "--allow-sys",
            "--config",
            `${ROOT}deno.json`,
            "-",
          ],
          cwd: ROOT,
          env: {
            NODE_EXTRA_CA_CERTS: tls.certFile,
            APPLICATION_INSIGHTS_NO_STATSBEAT: "true",
            APPLICATIONINSIGHTS_SDKSTATS_DISABLED: "true",
            NO_COLOR: "1",
          },
          stdin: "piped",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const writer = child.stdin.getWriter();
        await writer.write(new TextEncoder().encode(CHILD(connectionString)));
        await writer.close();
        const out = await child.output();
        assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));

        const track = requests.filter((r) => r.path === "/v2.1/track");
        assert.ok(
          track.length > 0,
          `no telemetry arrived: ${JSON.stringify(requests.map((r) => r.path))}`,
        );
        assert.ok(
          track.every((r) =>
            r.authorization === "Bearer token-for-https://monitor.azure.com/.default"
          ),
          `every batch carries the Entra ID token for Azure Monitor: ${
            track.map((r) => r.authorization)
          }`,
        );
        const items = track.flatMap((r) => r.items);
        assert.ok(items.every((i) => i.iKey === "00000000-0000-0000-0000-0000000000c7"));
        const spans = items.filter((i): i is Required<Telemetry> =>
          i.data?.baseType === "RemoteDependencyData"
        );
        assert.deepEqual(spans.map((s) => s.data.baseData.name).sort(), [
          "chat.pipeline",
          "products.search",
        ]);
        const pipeline = spans.find((s) => s.data.baseData.name === "chat.pipeline")!;
        assert.equal(pipeline.data.baseData.properties["customer.id"], "7");
        assert.equal(pipeline.tags["ai.cloud.role"], "contoso-chat");
        const search = spans.find((s) => s.data.baseData.name === "products.search")!;
        assert.equal(search.tags["ai.operation.id"], pipeline.tags["ai.operation.id"], "one trace");
      } finally {
        await server.shutdown();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("startAzureMonitorExport() does nothing without a connection string and rejects a malformed one", () => {
  assert.equal(startAzureMonitorExport(undefined), undefined);
  assert.equal(startAzureMonitorExport("  "), undefined);
  assert.throws(() => startAzureMonitorExport("not-a-connection-string"), TypeError);
});
