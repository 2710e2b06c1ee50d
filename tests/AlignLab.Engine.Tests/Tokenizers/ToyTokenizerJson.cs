using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Tests.Tokenizers;

/// <summary>A small hand-written tokenizer.json in the Llama-2 / SentencePiece style (Prepend + Replace, byte fallback).</summary>
internal static class ToyTokenizerJson
{
    public const string Json = """
    {
      "version": "1.0",
      "added_tokens": [
        {"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
        {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
        {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
        {"id": 13, "content": "[X]", "single_word": false, "lstrip": true, "rstrip": true, "normalized": false, "special": false},
        {"id": 14, "content": "cat", "single_word": true, "lstrip": false, "rstrip": false, "normalized": false, "special": false}
      ],
      "normalizer": {"type": "Sequence", "normalizers": [
        {"type": "Prepend", "prepend": "▁"},
        {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}
      ]},
      "pre_tokenizer": null,
      "post_processor": {"type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
        "pair": [],
        "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
      "decoder": {"type": "Sequence", "decoders": [
        {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
        {"type": "ByteFallback"},
        {"type": "Fuse"},
        {"type": "Strip", "content": " ", "start": 1, "stop": 0}
      ]},
      "model": {"type": "BPE", "dropout": null, "unk_token": "<unk>", "continuing_subword_prefix": null, "end_of_word_suffix": null,
        "fuse_unk": true, "byte_fallback": true, "ignore_merges": false,
        "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "<0xF0>": 3, "<0x9F>": 4, "<0x98>": 5, "<0x80>": 6, "▁": 7, "h": 8, "i": 9, "▁h": 10, "▁hi": 11, "c": 12, "[X]": 13, "cat": 14},
        "merges": [["▁", "h"], "▁h i"]}
    }
    """;

    public static Tokenizer Load(string json = Json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"alignlab-toy-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            return TokenizerLoader.FromTokenizerJson(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
