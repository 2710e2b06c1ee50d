// llama.cpp's side of the engine benchmark: the same three figures as `alignlab bench MODEL --json`,
// measured with node-llama-cpp (its CPU prebuilt, no GPU) on the same GGUF file and the same token ids.
// Usage: node bench.mjs MODEL.gguf [--prompt-tokens 512] [--gen-tokens 128] [--threads N] [--runs 3]
// Prints one JSON line: {"score_all_tps", "prefill_tps", "decode_tps", "threads", ...}. Times are wall
// time around the node-llama-cpp calls (performance.now()), so they include its small JS overhead per
// call; "llama_timings" adds llama.cpp's own prompt/eval timers over the same runs for comparison.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const here = path.dirname(fileURLToPath(import.meta.url));
const version = JSON.parse(fs.readFileSync(path.join(here, "node_modules/node-llama-cpp/package.json"), "utf8")).version;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : Number(args[i + 1]);
};
const modelPath = args[0];
const promptTokens = option("--prompt-tokens", 512);
const genTokens = option("--gen-tokens", 128);
const threads = option("--threads", 1);
const runs = option("--runs", 3);
const decodePromptTokens = 64;
if (!modelPath || !fs.existsSync(modelPath)) {
  console.error("usage: node bench.mjs MODEL.gguf [--prompt-tokens N] [--gen-tokens N] [--threads N] [--runs N]");
  process.exit(2);
}

// The token ids `alignlab bench` uses: a 32-bit LCG (Numerical Recipes constants) from seed 1234, each
// id taken from the state's high bits as floor(state · vocab / 2^32).
function benchTokens(count, vocab) {
  let state = 1234;
  const ids = [];
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    ids.push(Math.floor((state * vocab) / 4294967296));
  }
  return ids;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error, maxThreads: threads });
const model = await llama.loadModel({ modelPath, gpuLayers: 0, useMmap: true });
const vocab = model.fileInfo.metadata.tokenizer.ggml.tokens.length;
const prompt = benchTokens(promptTokens, vocab);
const decodePrompt = prompt.slice(0, decodePromptTokens);
const contextSize = Math.max(promptTokens, decodePromptTokens + genTokens);
const context = await model.createContext({
  contextSize, batchSize: promptTokens, threads: { ideal: threads, min: threads }, flashAttention: false,
});
const sequence = context.getSequence();

// (a) Every position's next-token distribution, summarised over the full vocabulary in llama.cpp's
// native code: Σ exp(logit − max) (the log-softmax normaliser), the top 10 and the actual next token.
async function scoreAll() {
  await sequence.clearHistory();
  const input = prompt.map((t, i) => [t, {
    generateNext: {
      logits: { filter: { includeTop: 10, tokens: i + 1 < prompt.length ? [prompt[i + 1]] : [] } },
      totalLogitWeight: true,
    },
  }]);
  const start = performance.now();
  const output = await sequence.controlledEvaluate(input);
  const seconds = (performance.now() - start) / 1000;
  if (output.length !== prompt.length || output.some((o) => o?.next?.totalLogitWeight == null)) {
    throw new Error("controlledEvaluate did not return every position");
  }
  return prompt.length / seconds;
}

// (b) The prompt run through the model with logits at the last position only.
async function prefill() {
  await sequence.clearHistory();
  const input = prompt.map((t, i) => (i + 1 < prompt.length ? t : [t, { generateNext: { totalLogitWeight: true } }]));
  const start = performance.now();
  await sequence.controlledEvaluate(input);
  return prompt.length / ((performance.now() - start) / 1000);
}

// (c) genTokens greedy tokens after a 64-token prompt: the prompt's evaluation (which yields the first
// token) is not timed; each timed step evaluates the previous token and picks the next. End of
// generation does not stop it.
async function decode() {
  await sequence.clearHistory();
  const generator = sequence.evaluate(decodePrompt, { temperature: 0, yieldEogToken: true });
  await generator.next();
  const start = performance.now();
  for (let i = 0; i < genTokens; i++) {
    const step = await generator.next();
    if (step.done) {
      throw new Error("generation stopped early");
    }
  }
  const seconds = (performance.now() - start) / 1000;
  await generator.return();
  return genTokens / seconds;
}

const figures = { score_all_tps: [], prefill_tps: [], decode_tps: [] };
await scoreAll(); // warm-up: first touch of the mapped weights, buffers, thread start
await prefill();
await decode();
for (let r = 0; r < runs; r++) {
  figures.score_all_tps.push(await scoreAll());
  figures.prefill_tps.push(await prefill());
  figures.decode_tps.push(await decode());
}
const round = (x) => Math.round(x * 10) / 10;
console.log(JSON.stringify({
  score_all_tps: round(median(figures.score_all_tps)),
  prefill_tps: round(median(figures.prefill_tps)),
  decode_tps: round(median(figures.decode_tps)),
  threads,
  runs: Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, v.map(round)])),
  reference: `llama.cpp via node-llama-cpp ${version} (CPU prebuilt)`,
  timing: "wall time around each node-llama-cpp call, median of runs",
}));
await context.dispose();
await model.dispose();
