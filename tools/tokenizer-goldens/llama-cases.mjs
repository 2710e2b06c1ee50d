// Test strings for the llama.cpp golden set: special tokens of each vocabulary mixed into text
// (adjacent, at the start/end, with spaces around), plus unicode and whitespace. Fixed list.
const common = [
  "Hello world", " Hello world", "Hello  world ", "\n", "\n\n\n", "\t\tindented", "  leading and trailing  ",
  "def main():\n    print('hi')\n", "for (i = 0; i < 10; i++) { x += i; }", "1234567890 3.14 -42 1e10",
  "café naïve résumé Straße", "日本語のテキスト 中文 한국어", "مرحبا بالعالم", "नमस्ते दुनिया", "Привет, мир!",
  "😀 👍🏽 👨‍👩‍👧‍👦 🇯🇵", "emoji🙂inside", "𝐀𝐁𝐂 𠀀", "I've been 'told he's there, 'RE you sure?",
  "!!!!!! ...... ------ ''''''", "<s>", "</s>", "<unk>", "< s >", "<|", "|>", "<|im_start", "im_end|>",
];
const specialsByVocab = {
  "gpt-2": ["<|endoftext|>"],
  "llama-bpe": ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>", "</s>"],
  "qwen2": ["<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|fim_prefix|>"],
  "llama-spm": ["<s>", "</s>", "<unk>"],
  "phi-3": ["<|user|>", "<|assistant|>", "<|end|>", "<|endoftext|>", "<|system|>", "<s>", "</s>"],
};
const templates = [
  (a, b) => `${a}user\nHi${b}`,
  (a, b) => `${a}${b}`,
  (a, b) => `${a} ${b}`,
  (a, b) => ` ${a} text ${b} `,
  (a, b) => `text${a}text${b}text`,
  (a, b) => `${a}\n${b}\n`,
  (a, b) => `Hello${a}`,
  (a, b) => `${b} world`,
  (a, b) => `${a}  \n  ${b}`,
  (a, b) => `[INST] ${a} 日本 ${b} 😀`,
];

export function llamaCases(vocab) {
  const specials = specialsByVocab[vocab];
  const out = [...common];
  for (let i = 0; i < specials.length; i++) {
    const a = specials[i];
    const b = specials[(i + 1) % specials.length];
    for (const t of templates) out.push(t(a, b));
  }
  out.push(specials.join(""), specials.join(" "), specials.join("\n"));
  out.push("<s>[INST] What is 2+2? [/INST] 4</s>", "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
  out.push("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>", "<|user|>\nHi<|end|>\n<|assistant|>\n");
  return [...new Set(out)];
}

export const llamaVocabs = Object.keys(specialsByVocab);
