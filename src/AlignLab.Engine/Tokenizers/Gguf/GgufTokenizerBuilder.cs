using AlignLab.Engine.Formats;
using AlignLab.Engine.Tokenizers.AddedTokens;
using AlignLab.Engine.Tokenizers.Decoders;
using AlignLab.Engine.Tokenizers.Models;
using AlignLab.Engine.Tokenizers.Normalizers;
using AlignLab.Engine.Tokenizers.PostProcessors;
using AlignLab.Engine.Tokenizers.PreTokenizers;
using AlignLab.Engine.Tokenizers.Regexes;

namespace AlignLab.Engine.Tokenizers.Gguf;

/// <summary>
/// Assembles llama.cpp's tokenizers from the same pieces the tokenizer.json path uses:
/// "gpt2" = Split per pre-type regex → ByteLevel → BPE → ByteLevel decoder;
/// "llama" = prefix space + ▁ escaping → SentencePiece merges by score → ▁/byte-fallback decoders.
/// Special tokens are found with llama.cpp's rules (<see cref="LlamaSegmenter"/>).
/// </summary>
internal static class GgufTokenizerBuilder
{
    private const char Escape = '\u2581';

    public static TokenizerParts Build(GgufVocabulary vocab) => vocab.Model switch
    {
        "gpt2" => BuildBpe(vocab),
        "llama" => BuildSentencePiece(vocab),
        _ => throw ModelFormatException.In(vocab.Source, "tokenizer.ggml.model", $"unknown tokenizer model \"{vocab.Model}\" (supported: gpt2, llama)"),
    };

    private static TokenizerParts BuildBpe(GgufVocabulary vocab)
    {
        if (!LlamaPreTokenizers.TryGet(vocab.Pre, out var row))
        {
            throw ModelFormatException.In(vocab.Source, "tokenizer.ggml.pre",
                $"unknown pre-tokenizer \"{vocab.Pre}\" (supported: {string.Join(", ", LlamaPreTokenizers.Names)})");
        }
        var merges = vocab.Merges ?? throw ModelFormatException.In(vocab.Source, "tokenizer.ggml.merges", "missing: a gpt2 vocabulary needs merges");
        var (tokens, ids) = Vocabulary(vocab);
        var table = new BpeMergeTable(merges.Length);
        for (var rank = 0; rank < merges.Length; rank++)
        {
            // llama.cpp splits at the first space after the first character.
            var merge = merges[rank];
            var cut = merge.Length > 1 ? merge.IndexOf(' ', 1) : -1;
            if (cut < 0)
            {
                throw ModelFormatException.In(vocab.Source, $"tokenizer.ggml.merges[{rank}]", $"expected \"left right\", found \"{merge}\"");
            }
            var left = merge[..cut];
            var right = merge[(cut + 1)..];
            // A merge whose parts or result are not tokens can never produce a token: skip it.
            if (ids.TryGetValue(left, out var l) && ids.TryGetValue(right, out var r) && ids.TryGetValue(left + right, out var result))
            {
                table.Add(l, r, rank, result);
            }
        }
        var model = new BpeModel(tokens, ids, table, new BpeOptions { IgnoreMerges = row.IgnoreMerges });
        var steps = new List<IPreTokenizer>();
        foreach (var regex in row.Regexes)
        {
            steps.Add(new SplitPreTokenizer(CategoryRegex.FromDotNet(regex), SplitBehavior.Isolated, invert: false));
        }
        steps.Add(new ByteLevelPreTokenizer(addPrefixSpace: false, useRegex: false));

        // llama.cpp's defaults for BPE vocabularies, overridden by the file's keys.
        var bos = row.NoBos ? null : InRange(vocab.BosId ?? 11, tokens.Length);
        var eos = InRange(vocab.EosId ?? 11, tokens.Length);
        var addBos = vocab.AddBos ?? row.AddBos;
        var addEos = vocab.AddEos ?? false;
        return Assemble(vocab, model, new SequencePreTokenizer(steps), normalizer: null, new ByteLevelDecoder(),
            $"gguf:gpt2/{vocab.Pre ?? "default"}", bos, eos, addBos, addEos);
    }

    private static TokenizerParts BuildSentencePiece(GgufVocabulary vocab)
    {
        var (tokens, ids) = Vocabulary(vocab);
        var scores = vocab.Scores ?? new float[tokens.Length];
        var unk = InRange(vocab.UnknownId ?? 0, tokens.Length) ?? 0;
        var model = new SentencePieceModel(tokens, scores, ids, unk);
        var addSpacePrefix = vocab.AddSpacePrefix ?? true;
        // Every text fragment follows the start or a special token, and llama.cpp prefixes a space to
        // each such fragment before escaping spaces as ▁.
        var normalizer = new SequenceNormalizer(addSpacePrefix
            ? [new PrependNormalizer(" "), ReplaceNormalizer.ForString(" ", Escape.ToString())]
            : [ReplaceNormalizer.ForString(" ", Escape.ToString())]);
        var decoder = new SequenceDecoder([
            new ReplaceDecoder(Escape.ToString(), null, " "),
            new ByteFallbackDecoder(),
            new FuseDecoder(),
            new StripDecoder(' ', addSpacePrefix ? 1 : 0, 0),
        ]);
        var bos = InRange(vocab.BosId ?? 1, tokens.Length);
        var eos = InRange(vocab.EosId ?? 2, tokens.Length);
        return Assemble(vocab, model, preTokenizer: null, normalizer, decoder, "gguf:llama", bos, eos, vocab.AddBos ?? true, vocab.AddEos ?? false);
    }

    private static TokenizerParts Assemble(GgufVocabulary vocab, ITokenModel model, IPreTokenizer? preTokenizer, INormalizer? normalizer,
        ITokenDecoder decoder, string kind, int? bos, int? eos, bool addBos, bool addEos)
    {
        if (addBos && bos is null)
        {
            throw ModelFormatException.In(vocab.Source, "tokenizer.ggml.add_bos_token", "is true, but there is no BOS token");
        }
        if (addEos && eos is null)
        {
            throw ModelFormatException.In(vocab.Source, "tokenizer.ggml.add_eos_token", "is true, but there is no EOS token");
        }
        var attrs = LlamaTokenAttributeRules.Compute(vocab);
        var specialTokens = new List<LlamaSpecialToken>();
        var specialIds = new HashSet<int>();
        for (var id = 0; id < attrs.Length; id++)
        {
            var a = attrs[id];
            if (LlamaTokenAttributeRules.IsMatchedInText(a))
            {
                specialTokens.Add(new LlamaSpecialToken(id, model.Vocabulary[id],
                    OnlyWithParseSpecial: (a & (TokenAttributes.Control | TokenAttributes.Unknown)) != 0,
                    LStrip: (a & TokenAttributes.LStrip) != 0,
                    RStrip: (a & TokenAttributes.RStrip) != 0));
            }
            if (LlamaTokenAttributeRules.IsSpecial(a))
            {
                specialIds.Add(id);
            }
        }
        return new TokenizerParts
        {
            Kind = kind,
            Segmenter = new LlamaSegmenter(specialTokens, normalizer),
            PreTokenizer = preTokenizer,
            Model = model,
            PostProcessor = new TemplateProcessor(addBos ? [bos!.Value] : [], addEos ? [eos!.Value] : []),
            Decoder = decoder,
            SpecialIds = specialIds,
            BosId = bos,
            EosId = eos,
        };
    }

    /// <summary>Token texts and the text → id map; llama.cpp renames empty tokens and refuses duplicates.</summary>
    private static (string[] Tokens, Dictionary<string, int> Ids) Vocabulary(GgufVocabulary vocab)
    {
        var tokens = new string[vocab.Tokens.Length];
        var ids = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (var i = 0; i < tokens.Length; i++)
        {
            var text = vocab.Tokens[i].Length == 0 ? $"[EMPTY_{i}]" : vocab.Tokens[i];
            tokens[i] = text;
            if (!ids.TryAdd(text, i))
            {
                throw ModelFormatException.In(vocab.Source, $"tokenizer.ggml.tokens[{i}]", $"duplicate token \"{text}\" (also id {ids[text]})");
            }
        }
        return (tokens, ids);
    }

    private static int? InRange(int id, int count) => id >= 0 && id < count ? id : null;
}
