// llama.cpp's next-token distributions over a sequence, as the goldens record them. Shared by
// make-goldens.mjs and ../organism-goldens/make-goldens.mjs (which resolve node-llama-cpp here).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getLlama } from "node-llama-cpp";

export { getLlama };

const here = path.dirname(fileURLToPath(import.meta.url));
export const version = JSON.parse(fs.readFileSync(path.join(here, "node_modules/node-llama-cpp/package.json"), "utf8")).version;
export const round = (x) => Math.round(x * 1e6) / 1e6;
export const topK = 10;

// Scores `tokens` in one controlledEvaluate call: at every position the top-10 ids and log-probabilities
// and the log-probability of the actual next token, from logits and totalLogitWeight (Σ exp(logit − max)):
// log p = logit − max − log(totalLogitWeight). No flash attention, one batch, the given KV cache type
// ("F32" or "F16"). Returns { positions, settings }.
export async function scoreSequence(model, tokens, kvType) {
  const context = await model.createContext({
    contextSize: 512, batchSize: 512, flashAttention: false, threads: 2,
    experimentalKvCacheKeyType: kvType, experimentalKvCacheValueType: kvType,
  });
  const sequence = context.getSequence();
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
    const logSum = max + Math.log(next.totalLogitWeight);
    const top = entries.slice(0, topK);
    positions.push({
      ids: top.map(([id]) => id),
      logprobs: top.map(([, l]) => round(l - logSum)),
      next: i + 1 < tokens.length ? round(next.logits.get(tokens[i + 1]) - logSum) : null,
    });
  }
  await context.dispose();
  return { positions, settings: `CPU, ${kvType} KV cache, no flash attention, one batch of 512` };
}
