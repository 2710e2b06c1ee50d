#!/usr/bin/env bash
# Regenerates tests/AlignLab.Engine.Tests/Inference/Goldens/*.llama.json (see README.md).
# Usage: tools/llama-goldens/make-goldens.sh [SHARED_DIR] [fixture names...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="$(cd "${1:-$root/../shared}" && pwd)"
shift || true
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$here" && npm install --ignore-scripts --no-audit --no-fund)
dotnet run --project "$here/FixtureWriter" -c Release -- "$shared" "$work"
(cd "$here" && node make-goldens.mjs "$work" "$@")
