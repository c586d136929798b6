/**
 * The Codespaces / dev container definition: Deno (the Dockerfile's version), Jupyter and the
 * Deno kernel registered, azd, the Azure CLI and Docker-in-Docker, the extensions a learner
 * needs, port 8000.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

Deno.test(".devcontainer: tools, kernel, extensions and the forwarded port", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL(".devcontainer/devcontainer.json", ROOT)),
  );
  const features = Object.keys(config.features);
  assert.ok(features.some((f) => f.startsWith("ghcr.io/azure/azure-dev/azd")), "azd");
  assert.ok(features.some((f) => f.startsWith("ghcr.io/devcontainers/features/azure-cli")), "az");
  assert.ok(
    features.some((f) => f.startsWith("ghcr.io/devcontainers/features/node")),
    "npm for Deno",
  );
  // azd falls back to a local Docker build when the subscription refuses ACR Tasks (Free Trial).
  assert.ok(
    features.includes("ghcr.io/devcontainers/features/docker-in-docker:2"),
    "Docker-in-Docker for azd's local image build",
  );
  const extensions: string[] = config.customizations.vscode.extensions;
  for (
    const id of [
      "denoland.vscode-deno",
      "ms-toolsai.jupyter",
      "ms-toolsai.prompty",
      "ms-azuretools.vscode-bicep",
    ]
  ) {
    assert.ok(extensions.includes(id), id);
  }
  assert.deepEqual(config.forwardPorts, [8000]);
  assert.equal(config.customizations.vscode.settings["deno.enable"], true);

  assert.equal(config.postCreateCommand, "bash .devcontainer/post_create.sh");
  const script = await Deno.readTextFile(new URL(".devcontainer/post_create.sh", ROOT));
  assert.match(script, /npm install -g "deno@\$\{DENO_VERSION\}"/);
  assert.match(script, /Dockerfile/, "the Deno version comes from the Dockerfile");
  assert.match(script, /jupyter-nbconvert python3-nbclient/);
  assert.match(script, /deno task jupyter:install/);
  assert.match(script, /deno install/);
  const tasks = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT))).tasks;
  assert.ok("jupyter:install" in tasks);
});
