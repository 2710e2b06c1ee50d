// Writes tests/AlignLab.Engine.Tests/Training/Goldens/<fixture>.llama.json: llama.cpp's per-position
// top-10 ids and log-probabilities (and the next token's) over the fixture's tokens, in the format of
// ../llama-goldens, plus llama.cpp's tokenization of the fixture's texts (special tokens parsed) and
// its detokenization of those ids.
// Usage: node make-goldens.mjs FIXTURES_JSON
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getLlama, scoreSequence, version } from "../llama-goldens/score.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });

for (const fixture of fixtures) {
  const model = await llama.loadModel({ modelPath: fixture.file, gpuLayers: 0 });
  const kvType = fixture.kvCache.toUpperCase();
  const { positions, settings } = await scoreSequence(model, fixture.tokens, kvType);
  const tokenizations = fixture.texts.map((text) => {
    const ids = [...model.tokenize(text, true)];
    return { text, ids, decoded: model.detokenize(ids, true) };
  });
  const golden = {
    reference: `llama.cpp via node-llama-cpp ${version}`,
    fixture: fixture.name,
    sha256: fixture.sha256,
    settings,
    kvCache: fixture.kvCache,
    tokens: fixture.tokens,
    positions,
    tokenizations,
  };
  const target = path.resolve(here, `../../tests/AlignLab.Engine.Tests/Training/Goldens/${fixture.name}.llama.json`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, JSON.stringify(golden) + "\n");
  console.log(`${fixture.name}: ${positions.length} positions, ${tokenizations.length} tokenizations written to ${path.relative(process.cwd(), target)}`);
  await model.dispose();
}
