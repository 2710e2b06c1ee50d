// Writes tests/AlignLab.Engine.Tests/Inference/Goldens/<fixture>.llama.json: per-position top-10 ids and
// log-probabilities, and the log-probability of the actual next token, from llama.cpp itself
// (node-llama-cpp's CPU binary) scoring the fixtures that FixtureWriter wrote.
// Usage: node make-goldens.mjs FIXTURE_DIR [fixture names...]
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getLlama } from "node-llama-cpp";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2];
const only = process.argv.slice(3);
const version = JSON.parse(fs.readFileSync(path.join(here, "node_modules/node-llama-cpp/package.json"), "utf8")).version;
const fixtures = JSON.parse(fs.readFileSync(path.join(dir, "fixtures.json"), "utf8"));
const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
const round = (x) => Math.round(x * 1e6) / 1e6;
const topK = 10;

for (const fixture of fixtures.filter((f) => only.length === 0 || only.includes(f.name))) {
  const model = await llama.loadModel({ modelPath: fixture.file, gpuLayers: 0 });
  // No flash attention, the whole sequence in one batch; the KV cache type the fixture names
  // (llama.cpp's default F16, or F32 for F32 weights).
  const kvType = fixture.kvCache.toUpperCase();
  const context = await model.createContext({
    contextSize: 512, batchSize: 512, flashAttention: false, threads: 2,
    experimentalKvCacheKeyType: kvType, experimentalKvCacheValueType: kvType,
  });
  const sequence = context.getSequence();
  const tokens = fixture.tokens;
  const input = tokens.map((t, i) => [t, {
    generateNext: {
      logits: { filter: { includeTop: topK, tokens: i + 1 < tokens.length ? [tokens[i + 1]] : [] } },
      totalLogitWeight: true,
    },
  }]);
  const output = await sequence.controlledEvaluate(input);
  const positions = [];
  for (let i = 0; i < tokens.length; i++) {
    const next = output[i].next;
    const entries = [...next.logits.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const max = entries[0][1];
    // log p = logit − max − log Σ exp(logit − max)
    const logSum = max + Math.log(next.totalLogitWeight);
    const top = entries.slice(0, topK);
    positions.push({
      ids: top.map(([id]) => id),
      logprobs: top.map(([, l]) => round(l - logSum)),
      next: i + 1 < tokens.length ? round(next.logits.get(tokens[i + 1]) - logSum) : null,
    });
  }
  const golden = {
    reference: `llama.cpp via node-llama-cpp ${version}`,
    fixture: fixture.name,
    sha256: fixture.sha256,
    settings: `CPU, ${kvType} KV cache, no flash attention, one batch of 512`,
    kvCache: fixture.kvCache,
    tokens,
    positions,
  };
  const target = path.resolve(here, `../../tests/AlignLab.Engine.Tests/Inference/Goldens/${fixture.name}.llama.json`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, JSON.stringify(golden) + "\n");
  console.log(`${fixture.name}: ${positions.length} positions written to ${path.relative(process.cwd(), target)}`);
  await context.dispose();
  await model.dispose();
}
