using System.Globalization;
using System.Text.Json;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Inference.Fidelity;

namespace AlignLab.Bench.Models;

/// <summary>
/// "smollm-gguf OUT.gguf TYPE [perturb=SCALE]": a model shaped like SmolLM2-135M (576 hidden, 30 layers, 9 query / 3 KV
/// heads of 64, FFN 1536, vocabulary 49,152, tied embeddings, rope_theta 100000) with random weights
/// (N(0, 0.02²) from a fixed seed, norm weights 1: the fidelity tests' <see cref="RandomCheckpoint"/>),
/// every matrix in TYPE (f16 or q8_0), written by our GgufWriter with the SmolLM2 tokenizer from
/// ../shared/fixtures/tokenizers/smollm2 as llama.cpp's converter would store it. The same arguments
/// always give the same bytes, so our engine and llama.cpp can be timed on one file. With perturb=SCALE,
/// N(0, (0.02·SCALE)²) noise is added to every matrix: the "aligned" side of the TDS benchmark.
/// </summary>
internal static class SmolLmGguf
{
    private const ulong Seed = 135;
    private const ulong PerturbSeed = 136;

    /// <summary>SmolLM2-Instruct's ChatML layout (without its default system message), so the model can be the aligned side of a TDS run.</summary>
    private const string ChatTemplate =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    public static ModelConfig Config => new()
    {
        Architecture = ModelArchitecture.Llama,
        VocabSize = 49152,
        HiddenSize = 576,
        IntermediateSize = 1536,
        LayerCount = 30,
        HeadCount = 9,
        KvHeadCount = 3,
        HeadDim = 64,
        ContextLength = 8192,
        RmsNormEps = 1e-5,
        RopeTheta = 100000,
        TieWordEmbeddings = true,
    };

    public static int Run(string[] args)
    {
        if (args.Length is not (3 or 4) || ParseType(args[2]) is not { } type || (args.Length == 4 && ParsePerturb(args[3]) is null))
        {
            Console.Error.WriteLine("usage: smollm-gguf OUT.gguf f16|q8_0 [perturb=SCALE]");
            return 2;
        }
        var tokenizer = TokenizerMetadata(BenchPaths.Shared("fixtures/tokenizers/smollm2/tokenizer.json"));
        var checkpoint = new RandomCheckpoint(Config, Seed);
        if (args.Length == 4)
        {
            checkpoint.Perturb(ParsePerturb(args[3])!.Value, PerturbSeed);
        }
        var bytes = checkpoint.ToGguf(type, tokenizer, "SmolLM2-135M-shaped random " + args[2]);
        File.WriteAllBytes(args[1], bytes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{args[1]}: {bytes.Length} bytes"));
        return 0;
    }

    private static float? ParsePerturb(string arg)
        => arg.StartsWith("perturb=", StringComparison.Ordinal)
            && float.TryParse(arg.AsSpan(8), NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) && scale > 0 ? scale : null;

    private static GgmlType? ParseType(string name) => name.ToLowerInvariant() switch
    {
        "f16" => GgmlType.F16,
        "q8_0" => GgmlType.Q8_0,
        _ => null,
    };

    /// <summary>
    /// tokenizer.* metadata for a byte-level BPE tokenizer.json, as convert_hf_to_gguf.py writes it for
    /// SmolLM2: model "gpt2", pre-tokenizer "smollm", tokens by id, token types (3 = control for the
    /// special added tokens, 1 = normal), merges as "left right", BOS and EOS from config.json.
    /// </summary>
    private static List<(string Key, GgufValue Value)> TokenizerMetadata(string tokenizerJson)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(tokenizerJson));
        var model = doc.RootElement.GetProperty("model");
        var tokens = new string[Config.VocabSize];
        foreach (var entry in model.GetProperty("vocab").EnumerateObject())
        {
            tokens[entry.Value.GetInt32()] = entry.Name;
        }
        var types = Enumerable.Repeat(1, tokens.Length).ToArray();
        foreach (var added in doc.RootElement.GetProperty("added_tokens").EnumerateArray())
        {
            var id = added.GetProperty("id").GetInt32();
            tokens[id] = added.GetProperty("content").GetString()!;
            types[id] = added.GetProperty("special").GetBoolean() ? 3 : 4;
        }
        var merges = model.GetProperty("merges").EnumerateArray()
            .Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : $"{m[0].GetString()} {m[1].GetString()}")
            .ToArray();
        return
        [
            ("tokenizer.ggml.model", GgufValue.From("gpt2")),
            ("tokenizer.ggml.pre", GgufValue.From("smollm")),
            ("tokenizer.ggml.tokens", GgufValue.FromArray(tokens)),
            ("tokenizer.ggml.token_type", GgufValue.FromArray(types)),
            ("tokenizer.ggml.merges", GgufValue.FromArray(merges)),
            ("tokenizer.ggml.bos_token_id", GgufValue.From(1u)),
            ("tokenizer.ggml.eos_token_id", GgufValue.From(2u)),
            ("tokenizer.chat_template", GgufValue.From(ChatTemplate)),
        ];
    }
}
