#!/usr/bin/env bash
# Codespaces / dev container set-up: Deno (from the npm registry, the version the project is
# tested with), Jupyter from Debian, the npm dependencies, and the workshop's Deno kernel.
# azd, the Azure CLI and Docker (Docker-in-Docker: azd builds the image locally when the
# subscription refuses remote builds, as Free Trial ones do) come from the dev container features.
# Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

DENO_VERSION="$(sed -n 's/^FROM denoland\/deno:\(.*\)$/\1/p' Dockerfile)"
if ! deno --version 2>/dev/null | grep -q "deno ${DENO_VERSION} "; then
  npm install -g "deno@${DENO_VERSION}"
fi
deno --version

sudo apt-get update -qq
sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jupyter-nbconvert python3-nbclient python3-nbformat >/dev/null

deno install
deno task jupyter:install

cat <<'MSG'

Ready. Next:
  deno task start                      # the app on embedded services, port 8000
  deno task notebooks 1-provision      # or open notebooks/ and pick the "Deno (Contoso Chat)" kernel
  azd auth login --use-device-code     # then: deno task provision --env NAME --location eastus2 --subscription ID
MSG
