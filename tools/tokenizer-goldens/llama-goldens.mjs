// Writes tests/AlignLab.Engine.Tests/Tokenizers/Goldens/<vocab>.llama.json: ids from llama.cpp itself
// (node-llama-cpp's CPU binary) for each vocab-only GGUF in ../shared/fixtures/vocab, with
// model.tokenize(text, true): special tokens parsed, no BOS added.
// Usage: node llama-goldens.mjs [path/to/shared]
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getLlama } from "node-llama-cpp";
import { llamaCases, llamaVocabs } from "./llama-cases.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const shared = process.argv[2] ?? path.resolve(here, "../../../shared");
const version = JSON.parse(fs.readFileSync(path.join(here, "node_modules/node-llama-cpp/package.json"), "utf8")).version;
const llama = await getLlama({ gpu: false, build: "never" });
for (const vocab of llamaVocabs) {
  const model = await llama.loadModel({ modelPath: path.join(shared, `fixtures/vocab/ggml-vocab-${vocab}.gguf`), vocabOnly: true });
  const cases = llamaCases(vocab).map((text) => ({ text, ids: Array.from(model.tokenize(text, true)) }));
  const out = {
    reference: `llama.cpp via node-llama-cpp ${version}`,
    vocabulary: `fixtures/vocab/ggml-vocab-${vocab}.gguf`,
    options: "model.tokenize(text, true): special tokens parsed, no BOS",
    cases,
  };
  const target = path.resolve(here, `../../tests/AlignLab.Engine.Tests/Tokenizers/Goldens/${vocab}.llama.json`);
  fs.writeFileSync(target, JSON.stringify(out, null, 1) + "\n");
  console.log(`${vocab}: ${cases.length} cases written to ${target}`);
  await model.dispose();
}
