using System.Text.Json;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Tokenizers.AddedTokens;
using AlignLab.Engine.Tokenizers.PostProcessors;

namespace AlignLab.Engine.Tokenizers.Json;

/// <summary>
/// Builds a tokenizer from Hugging Face files: tokenizer.json (the pipeline), tokenizer_config.json
/// (bos/eos tokens, add_bos_token / add_eos_token) and config.json (bos_token_id / eos_token_id, the
/// fallback for BOS/EOS ids).
/// </summary>
internal static class TokenizerJsonReader
{
    public static TokenizerParts Read(string tokenizerJsonPath, string? tokenizerConfigPath, string? modelConfigPath)
    {
        using var doc = Parse(tokenizerJsonPath);
        return Read(doc, tokenizerJsonPath, tokenizerConfigPath, modelConfigPath);
    }

    /// <summary>The same from a parsed tokenizer.json; <paramref name="source"/> names it in errors.</summary>
    public static TokenizerParts Read(JsonDocument doc, string source, string? tokenizerConfigPath, string? modelConfigPath)
    {
        var r = new JsonReader(source);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw r.Error("(root)", "expected a JSON object");
        }
        var normalizer = JsonReader.Optional(root, "normalizer") is { } n ? NormalizerJson.Read(r, n, "normalizer") : null;
        var preTokenizer = JsonReader.Optional(root, "pre_tokenizer") is { } p ? PreTokenizerJson.Read(r, p, "pre_tokenizer") : null;
        var model = BpeModelJson.Read(r, r.Required(root, "model", ""));
        var postProcessor = JsonReader.Optional(root, "post_processor") is { } pp ? PostProcessorJson.Read(r, pp, "post_processor") : null;
        var decoder = JsonReader.Optional(root, "decoder") is { } d ? DecoderJson.Read(r, d, "decoder") : null;
        var added = ReadAddedTokens(r, root);

        var addedById = new Dictionary<int, string>();
        var special = new HashSet<int>();
        foreach (var t in added)
        {
            addedById[t.Id] = t.Content;
            if (t.Special)
            {
                special.Add(t.Id);
            }
        }
        int? IdOf(string token)
        {
            foreach (var t in added)
            {
                if (t.Content == token)
                {
                    return t.Id;
                }
            }
            return model.TokenToId(token);
        }

        var config = tokenizerConfigPath is null ? null : SpecialTokenIds.FromTokenizerConfig(tokenizerConfigPath, IdOf);
        var modelConfig = modelConfigPath is null ? null : SpecialTokenIds.FromModelConfig(modelConfigPath);
        // Without configuration files, the token a template puts first is the BOS.
        var bos = config?.BosId ?? modelConfig?.BosId ?? (postProcessor is TemplateProcessor { Before.Count: > 0 } template ? template.Before[0] : null);
        var eos = config?.EosId ?? modelConfig?.EosId;
        if (config is { AddBosToken: not null } or { AddEosToken: not null })
        {
            // transformers rebuilds the post-processor from these flags when they are given.
            postProcessor = new TemplateProcessor(
                config.AddBosToken == true && bos is int b ? [b] : [],
                config.AddEosToken == true && eos is int e ? [e] : []);
        }
        return new TokenizerParts
        {
            Kind = "tokenizer.json:BPE",
            Segmenter = new HfAddedVocabulary(added, normalizer),
            PreTokenizer = preTokenizer,
            Model = model,
            PostProcessor = postProcessor,
            Decoder = decoder,
            AddedTokens = addedById,
            SpecialIds = special,
            BosId = bos,
            EosId = eos,
        };
    }

    internal static JsonDocument Parse(string path) => JsonFile.Load(path);

    private static List<AddedToken> ReadAddedTokens(JsonReader r, JsonElement root)
    {
        var list = new List<AddedToken>();
        if (JsonReader.Optional(root, "added_tokens") is not { } tokens)
        {
            return list;
        }
        if (tokens.ValueKind != JsonValueKind.Array)
        {
            throw r.Error("added_tokens", "expected an array");
        }
        var i = 0;
        foreach (var t in tokens.EnumerateArray())
        {
            var path = JsonReader.Index("added_tokens", i++);
            var isSpecial = r.Bool(t, "special", path, false);
            list.Add(new AddedToken(
                r.Int(t, "id", path),
                r.String(t, "content", path),
                isSpecial,
                r.Bool(t, "single_word", path, false),
                r.Bool(t, "lstrip", path, false),
                r.Bool(t, "rstrip", path, false),
                r.Bool(t, "normalized", path, !isSpecial)));
        }
        return list;
    }
}
