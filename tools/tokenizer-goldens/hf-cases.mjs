// Deterministic test strings for the Hugging Face golden set: hand-picked cases plus generated
// combinations (a fixed-seed PRNG), so re-running gives the same list.
const handPicked = [
  "", " ", "  ", "\t", "\n", "\n\n", " \n \t ", "Hello world", " Hello world", "Hello  world",
  "<|im_start|>user\nHi<|im_end|>", "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
  "<|endoftext|>", "<|endoftext|><|endoftext|>", " <|im_end|> ", "text<|im_end|>text", "<|im_start|><|im_end|>",
  "<|im_start", "im_end|>", "<|im_start|> user", "<repo_name>alignlab<file_sep>main.cs", "<filename>a.py\n<gh_stars>10",
  "def f(x):\n    return x * 2\n", "for (int i = 0; i < n; i++) {\n\tsum += a[i];\n}", "if (a&&b||!c) { x <<= 2; }",
  "console.log(`${a}+${b}`);", "SELECT * FROM users WHERE id = 42;", "#include <stdio.h>\nint main(void){return 0;}",
  "    indented\n        more\n", "\t\ttabs\tand\ttabs", "trailing spaces   ", "   leading spaces", "a\r\nb\r\nc",
  "1234567890", "3.14159", "1,000,000", "-42", "2026-11-23", "0x1F600", "1e-5", "v1.2.3", "phone: +1 (555) 010-9999",
  "😀", "😀😀😀", "👍🏽", "👨‍👩‍👧‍👦", "🇫🇷🇯🇵", "I ❤️ Unicode ✨", "emoji🙂inside", "∑ ∫ √ ∞ ≠ ≤",
  "日本語のテキスト", "中文测试，包括标点。", "한국어 문장입니다", "你好世界", "東京タワー",
  "café naïve résumé", "Ünïcödé àçcéñts", "e\u0301", "ﬁ ligature", "Straße", "ΑΒΓ αβγ Ωmega",
  "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया", "हिन्दी में वाक्य।", "Привет, мир!", "ภาษาไทย", "Tiếng Việt có dấu",
  "a".repeat(300), "ab".repeat(150), "supercalifragilisticexpialidocious", "pneumonoultramicroscopicsilicovolcanoconiosis",
  "!!!!!!", "??????", "......", "------", "======", "''''''", "\"\"\"\"", "```code```", "***bold***", "___", "~~~",
  "I've been 'told he's there", "we'RE sure", "don't won't can't shouldn't", "'s 't 're 've 'm 'll 'd",
  "https://example.com/path?q=1&r=2#frag", "user@example.com", "C:\\Windows\\System32", "/usr/local/bin/",
  "{\"key\": [1, 2, {\"nested\": true}]}", "<html><body><p>Hi</p></body></html>", "| a | b |\n|---|---|",
  "Mixed 中文 and English 123 😀!", "\u00a0non-breaking\u00a0space", "zero\u200bwidth", "\u3000ideographic space",
  "𝐀𝐁𝐂 math bold", "𠀀𠀁 extension B", "a\u0000b", "\u2028line separator", "x\u00ady",
];

let seed = 20261123;
function rand() {
  // mulberry32
  seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const words = ["the", "The", "quick", "brown", "fox", "alignment", "tuning", "model", "token", "LLM", "RLHF", "SFT",
  "naïve", "über", "東京", "数据", "모델", "مرحبا", "नमस्ते", "Привет", "😀", "🚀", "42", "3.14", "2026", "x_1", "foo.bar()",
  "don't", "it's", "<|im_start|>", "<|im_end|>", "<|endoftext|>", "user", "assistant", "\n", "\t", "  ", "   ", "!", "?", ",", "…"];
const seps = [" ", "", "  ", "\n", "\t", " \n", "\n\n", ", ", ". "];

const generated = [];
while (handPicked.length + generated.length < 320) {
  const n = 1 + Math.floor(rand() * 12);
  let s = "";
  for (let i = 0; i < n; i++) {
    s += pick(words) + pick(seps);
  }
  if (rand() < 0.3) s = s.trimEnd();
  generated.push(s);
}

export const hfCases = [...handPicked, ...generated];
