// Reference side of the tokenizer benchmark (bench/AlignLab.Bench, "tokenizer-throughput"): encodes
// the same documents with @huggingface/transformers and prints one JSON line with its throughput.
// Usage: node hf-bench.mjs TOKENIZER_JSON DOCS_JSON PASSES
import fs from "node:fs";
import { PreTrainedTokenizer } from "@huggingface/transformers";

const [tokenizerPath, docsPath, passesArg] = process.argv.slice(2);
const tokenizer = new PreTrainedTokenizer(JSON.parse(fs.readFileSync(tokenizerPath, "utf8")), { add_bos_token: false, add_eos_token: false });
const docs = JSON.parse(fs.readFileSync(docsPath, "utf8"));
const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d, "utf8"), 0);

function pass() {
  let tokens = 0;
  for (const d of docs) tokens += tokenizer.encode(d, { add_special_tokens: false }).length;
  return tokens;
}

const tokens = pass(); // warm-up (also fills transformers.js's BPE cache, as ours is filled)
const seconds = [];
for (let i = 0; i < Number(passesArg ?? 3); i++) {
  const t0 = process.hrtime.bigint();
  pass();
  seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
seconds.sort((a, b) => a - b);
const median = seconds[Math.floor(seconds.length / 2)];
const version = JSON.parse(fs.readFileSync(new URL("./node_modules/@huggingface/transformers/package.json", import.meta.url), "utf8")).version;
console.log(JSON.stringify({ reference: `@huggingface/transformers ${version}`, node: process.version, bytes, tokens, seconds, mbPerSecond: bytes / 1e6 / median }));
