// Turns bench/run-engine-bench.sh's results.jsonl into the Markdown tables of bench/RESULTS.md:
// ours against llama.cpp (its best thread count per figure), the ratio, and the fraction of the
// machine's peak (≈ 440 GFLOP/s FP32 and ≈ 80 GB/s on the reference 2-vCPU AVX-512 machine).
// Usage: node engine-report.mjs results.jsonl
import fs from "node:fs";

const PEAK_GFLOPS = 440;
const PEAK_GBPS = 80;
// SmolLM2-135M shape: 576 hidden, 30 layers, 9 query / 3 KV heads of 64, FFN 1536, vocab 49,152.
const [d, layers, kvDim, ffn, vocab] = [576, 30, 192, 1536, 49152];
const layerParams = 2 * d * d + 2 * d * kvDim + 3 * d * ffn;
const bodyParams = layers * layerParams;
const headParams = vocab * d;
// Attention costs 4·d FLOPs per layer per attended position (Q·K and weights·V over all heads).
const attention = (meanContext) => 4 * d * meanContext * layers;
const promptTokens = 512;
const decodeStart = 64;
const genTokens = 128;
const flopsPerToken = {
  score_all_tps: 2 * (bodyParams + headParams) + attention((promptTokens + 1) / 2),
  prefill_tps: 2 * bodyParams + attention((promptTokens + 1) / 2),
  decode_tps: 2 * (bodyParams + headParams) + attention(decodeStart + (genTokens + 1) / 2),
};

const rows = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").map((l) => JSON.parse(l));
const fixed = (x, digits = 1) => x.toFixed(digits);
const lines = [];
for (const format of [...new Set(rows.map((r) => r.format))]) {
  const of = (side) => rows.filter((r) => r.format === format && r.side === side);
  const [ours] = of("ours");
  const [oursOne] = of("ours-1-thread");
  const llama = of("llama.cpp");
  const fileBytes = of("file")[0].bytes;
  lines.push(`#### ${format.toUpperCase()} (file ${fixed(fileBytes / 2 ** 20)} MiB)`, "",
    "| figure | ours (threads) | ours, 1 thread | llama.cpp 1 thread | llama.cpp 2 threads | ratio ours / best llama.cpp | ours % of peak |",
    "|---|---|---|---|---|---|---|");
  for (const figure of ["score_all_tps", "prefill_tps", "decode_tps"]) {
    const ref = (t) => llama.find((r) => r.threads === t)[figure];
    const best = Math.max(ref(1), ref(2));
    const flops = (ours[figure] * flopsPerToken[figure]) / 1e9;
    const peak = figure === "decode_tps"
      ? `${fixed((100 * ours[figure] * fileBytes) / 1e9 / PEAK_GBPS)}% of bandwidth (${fixed(flops)} GFLOP/s)`
      : `${fixed((100 * flops) / PEAK_GFLOPS)}% (${fixed(flops)} GFLOP/s)`;
    lines.push(`| ${figure} | ${fixed(ours[figure])} (${ours.threads}) | ${fixed(oursOne[figure])} | ${fixed(ref(1))} | ${fixed(ref(2))} | **${fixed(ours[figure] / best, 2)}×** | ${peak} |`);
  }
  const kvBytes = 2 * layers * kvDim * 4 * promptTokens; // F32 K and V for the 512-token context
  const limit = (fileBytes + kvBytes) / 2 ** 20 + 100;
  const rss = (r) => fixed(r.max_rss_kib / 1024, 0);
  lines.push("", `Peak resident set: ours ${rss(ours)} MiB (limit: file + KV cache + 100 MB = ${fixed(limit, 0)} MiB), ` +
    `llama.cpp (node) ${llama.map((r) => `${rss(r)} MiB at ${r.threads} thread(s)`).join(", ")}.`, "");
}
console.log(lines.join("\n"));
