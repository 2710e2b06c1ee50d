#!/usr/bin/env bash
# Regenerates the organism golden: trains and exports tests/AlignLab.Engine.Tests/Training/Goldens/organism-tiny.gguf
# and writes llama.cpp's organism-tiny.llama.json beside it (see README.md).
# Usage: tools/organism-goldens/make-goldens.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
goldens="$root/tests/AlignLab.Engine.Tests/Training/Goldens"
mkdir -p "$goldens"
(cd "$root/tools/llama-goldens" && npm install --ignore-scripts --no-audit --no-fund)
dotnet run --project "$here/FixtureWriter" -c Release -- "$goldens/organism-tiny.gguf" "$work/fixtures.json"
node "$here/make-goldens.mjs" "$work/fixtures.json"
