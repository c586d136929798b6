/**
 * The embedded Cosmos DB server (`@vercel/cosmosdb-server`) on a loopback port, so the
 * embedded default runs the very `@azure/cosmos` code that talks to Azure. In memory only.
 * The server's package (and its query engine's geometry library) loads when a server starts,
 * not on import, so a process that imports `lib/mod.ts` without starting one does not pay for it.
 *
 * @module
 */
import { CosmosClient } from "@azure/cosmos";
import type { AddressInfo } from "node:net";

/** The Cosmos DB emulator's published, well-known account key (not a secret). */
export const EMULATOR_KEY =
  "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

/** A running embedded server and a client for it. */
export interface EmbeddedCosmos {
  endpoint: string;
  client: CosmosClient;
  close(): Promise<void>;
}

/** Start the embedded Cosmos DB server on 127.0.0.1 and an ephemeral port. */
export async function startEmbeddedCosmos(): Promise<EmbeddedCosmos> {
  const { createHttpServer } = await import("@vercel/cosmosdb-server");
  const server = createHttpServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new CosmosClient({
    endpoint,
    key: EMULATOR_KEY,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  let closed = false;
  return {
    endpoint,
    client,
    async close() {
      if (closed) return;
      closed = true;
      client.dispose();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
