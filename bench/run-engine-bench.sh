#!/usr/bin/env bash
# The engine benchmark of issue 3: our engine (`alignlab bench --json`) and llama.cpp (bench/llama-cpp/
# bench.mjs, node-llama-cpp's CPU prebuilt) timed in the same run on the same SmolLM2-135M-shaped GGUF
# files (random weights, F16 and Q8_0), one after the other so they never share the cores. Also
# records each side's peak resident set (GNU time) and prints a Markdown table with ratios and the
# fraction of machine peak (bench/engine-report.mjs).
# Usage: bench/run-engine-bench.sh [WORKDIR] [RUNS]   (WORKDIR defaults to /tmp/alignlab-engine-bench;
# SKIP_BUILD=1 skips the Release builds, e.g. when they were just made)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="${1:-/tmp/alignlab-engine-bench}"
runs="${2:-5}"
mkdir -p "$work"

if [ -z "${SKIP_BUILD:-}" ]; then
  dotnet build "$root/src/AlignLab.Cli" -c Release -v q -nologo >/dev/null
  dotnet build "$root/bench/AlignLab.Bench" -c Release -v q -nologo >/dev/null
fi
cli="$root/src/AlignLab.Cli/bin/Release/net10.0/alignlab.dll"
benchdll="$root/bench/AlignLab.Bench/bin/Release/net10.0/AlignLab.Bench.dll"
(cd "$here/llama-cpp" && [ -d node_modules/node-llama-cpp ] || npm install --no-audit --no-fund --no-save >/dev/null)

results="$work/results.jsonl"
: >"$results"
# Runs a command, appending {"side", "format", "threads", "max_rss_kib", ...its JSON} to the results.
measure() {
  local side="$1" format="$2"; shift 2
  local out rss
  out="$(/usr/bin/time -f '%M' -o "$work/rss" "$@")"
  rss="$(tail -n1 "$work/rss")"
  node -e 'const [side, format, rss, json] = process.argv.slice(1);
    console.log(JSON.stringify({ side, format, max_rss_kib: Number(rss), ...JSON.parse(json) }));' \
    "$side" "$format" "$rss" "$out" >>"$results"
  tail -n1 "$results"
}

for format in f16 q8_0; do
  model="$work/smollm2-135m-random-$format.gguf"
  [ -f "$model" ] || dotnet "$benchdll" smollm-gguf "$model" "$format" >/dev/null
  measure ours "$format" dotnet "$cli" bench "$model" --json --runs "$runs"
  for threads in 1 2; do
    measure llama.cpp "$format" node "$here/llama-cpp/bench.mjs" "$model" --threads "$threads" --runs "$runs"
  done
  measure ours-1-thread "$format" dotnet "$cli" bench "$model" --json --runs "$runs" --threads 1
  echo "{\"side\":\"file\",\"format\":\"$format\",\"bytes\":$(stat -c %s "$model")}" >>"$results"
done
node "$here/engine-report.mjs" "$results"
