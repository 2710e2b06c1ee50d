// Writes tests/AlignLab.Engine.Tests/Tokenizers/Goldens/smollm2.hf.json: ids from Hugging Face
// transformers.js (@huggingface/transformers) for the SmolLM2 tokenizer.json in ../shared, loaded from
// the local file only (no network). Usage: node hf-goldens.mjs [path/to/shared]
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PreTrainedTokenizer } from "@huggingface/transformers";
import { hfCases } from "./hf-cases.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const shared = process.argv[2] ?? path.resolve(here, "../../../shared");
const tokenizerJson = JSON.parse(fs.readFileSync(path.join(shared, "fixtures/tokenizers/smollm2/tokenizer.json"), "utf8"));
// SmolLM2's published tokenizer_config.json has no BOS/EOS adding and no clean-up of spaces.
const tokenizerConfig = { add_bos_token: false, add_eos_token: false, clean_up_tokenization_spaces: false };
const tokenizer = new PreTrainedTokenizer(tokenizerJson, tokenizerConfig);

const cases = hfCases.map((text) => {
  const ids = tokenizer.encode(text, { add_special_tokens: false });
  // transformers.js refuses to decode an empty id list; the empty text is its decoding.
  const decoded = ids.length === 0 ? "" : tokenizer.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
  return { text, ids, decoded, roundTrip: decoded === text };
});
const out = {
  reference: "@huggingface/transformers " + JSON.parse(fs.readFileSync(path.join(here, "node_modules/@huggingface/transformers/package.json"), "utf8")).version,
  tokenizer: "fixtures/tokenizers/smollm2/tokenizer.json",
  options: "encode(text, {add_special_tokens: false}); decode(ids, {skip_special_tokens: false, clean_up_tokenization_spaces: false})",
  cases,
};
const target = path.resolve(here, "../../tests/AlignLab.Engine.Tests/Tokenizers/Goldens/smollm2.hf.json");
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, JSON.stringify(out, null, 1) + "\n");
console.log(`${cases.length} cases, ${cases.filter((c) => c.roundTrip).length} round-trip, written to ${target}`);
