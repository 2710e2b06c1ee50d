// Writes tests/AlignLab.Engine.Tests/Inference/Goldens/<fixture>.llama.json: per-position top-10 ids and
// log-probabilities, and the log-probability of the actual next token, from llama.cpp itself
// (node-llama-cpp's CPU binary) scoring the fixtures that FixtureWriter wrote.
// Usage: node make-goldens.mjs FIXTURE_DIR [fixture names...]
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getLlama, scoreSequence, version } from "./score.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2];
const only = process.argv.slice(3);
const fixtures = JSON.parse(fs.readFileSync(path.join(dir, "fixtures.json"), "utf8"));
const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });

for (const fixture of fixtures.filter((f) => only.length === 0 || only.includes(f.name))) {
  const model = await llama.loadModel({ modelPath: fixture.file, gpuLayers: 0 });
  // The KV cache type the fixture names (llama.cpp's default F16, or F32 for F32 weights).
  const kvType = fixture.kvCache.toUpperCase();
  const tokens = fixture.tokens;
  const { positions, settings } = await scoreSequence(model, tokens, kvType);
  const golden = {
    reference: `llama.cpp via node-llama-cpp ${version}`,
    fixture: fixture.name,
    sha256: fixture.sha256,
    settings,
    kvCache: fixture.kvCache,
    tokens,
    positions,
  };
  const target = path.resolve(here, `../../tests/AlignLab.Engine.Tests/Inference/Goldens/${fixture.name}.llama.json`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, JSON.stringify(golden) + "\n");
  console.log(`${fixture.name}: ${positions.length} positions written to ${path.relative(process.cwd(), target)}`);
  await model.dispose();
}
