#!/usr/bin/env bash
# The TDS benchmark of issue 4: whole-job throughput of `alignlab tds` on SmolLM2-135M-shaped models
# (random weights; the aligned model a perturbed copy with SmolLM2's ChatML template), on the first
# instructions of the Just-Eval set: answer tokens per second for greedy generation, the aligned
# scoring pass and the base scoring pass separately (run.json's timings), and overall. The engine's
# `alignlab bench` runs on the same base file in the same run as the reference for what one forward
# pass costs.
# Usage: bench/run-tds-bench.sh [WORKDIR] [EXAMPLES] [FORMAT]   (defaults: /tmp/alignlab-tds-bench 16 f16;
# SKIP_BUILD=1 skips the Release builds)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="${1:-/tmp/alignlab-tds-bench}"
examples="${2:-16}"
format="${3:-f16}"
data="$root/../shared/data/just-eval/just-eval-instruct.llama-2-7b-chat.json"
mkdir -p "$work"
if [ -z "${SKIP_BUILD:-}" ]; then
  dotnet build "$root/src/AlignLab.Cli" -c Release -v q -nologo >/dev/null
  dotnet build "$root/bench/AlignLab.Bench" -c Release -v q -nologo >/dev/null
fi
cli="$root/src/AlignLab.Cli/bin/Release/net10.0/alignlab.dll"
benchdll="$root/bench/AlignLab.Bench/bin/Release/net10.0/AlignLab.Bench.dll"
base="$work/base-$format.gguf"
aligned="$work/aligned-$format.gguf"
[ -f "$base" ] || dotnet "$benchdll" smollm-gguf "$base" "$format" >/dev/null
[ -f "$aligned" ] || dotnet "$benchdll" smollm-gguf "$aligned" "$format" perturb=1 >/dev/null

engine="$(dotnet "$cli" bench "$base" --json --runs 3)"
rm -rf "$work/run"
/usr/bin/time -f '%e %M' -o "$work/time" dotnet "$cli" tds --base "$base" --aligned "$aligned" --data "$data" \
  --limit "$examples" --max-new-tokens 128 --base-prompt plain --out "$work/run" >/dev/null 2>"$work/tds.log"
read -r wall rss <"$work/time"
node -e '
const fs = require("fs");
const [runJson, engineJson, wall, rss, examples, format] = process.argv.slice(1);
const run = JSON.parse(fs.readFileSync(runJson, "utf8"));
const engine = JSON.parse(engineJson);
const m = Object.values(run.timings.by_model)[0];
const tps = (s) => (m.answer_tokens / s).toFixed(1);
console.log(JSON.stringify({ format, examples: Number(examples), answered: m.examples, skipped: m.skipped, answer_tokens: m.answer_tokens,
  generation_tps: Number(tps(m.generation_seconds)), aligned_scoring_tps: Number(tps(m.aligned_scoring_seconds)),
  base_scoring_tps: Number(tps(m.base_scoring_seconds)), whole_job_tps: Number((m.answer_tokens / Number(wall)).toFixed(1)),
  wall_seconds: Number(wall), max_rss_mib: Math.round(Number(rss) / 1024), greedy_repairs: m.greedy_repairs,
  engine_bench: engine }));
' "$work/run/run.json" "$engine" "$wall" "$rss" "$examples" "$format"
