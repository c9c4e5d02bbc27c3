#!/usr/bin/env bash
# Sets up a fresh Debian machine that has the .NET SDK: checks the toolchain, restores NuGet packages and
# fetches the pretrained model and the labelled text (scripts/fetch-model.sh) into the ignored .cache/ folder.
# Safe to run twice: every step checks before it acts.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK (dotnet) is not on PATH; install .NET 10 SDK first" >&2
  exit 2
fi
major=$(dotnet --version | cut -d. -f1)
if [ "$major" -lt 10 ]; then
  echo "setup: .NET SDK $(dotnet --version) found, 10 or newer needed" >&2
  exit 2
fi

# Debian packages later issues need (RTL simulation and synthesis) are added here as they arrive. Optional ones are
# asked for by name: libopenblas0-pthread gives scripts/bench.sh its OpenBLAS baseline (not needed by the tests).
missing=()
for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

dotnet restore Fp4Sim.sln --verbosity quiet
bash scripts/fetch-model.sh
echo "setup: ok (dotnet $(dotnet --version))"
