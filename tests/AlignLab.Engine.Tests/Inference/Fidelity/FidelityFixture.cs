using System.Security.Cryptography;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Tests.Inference.Fidelity;

/// <summary>
/// A tiny random model in GGUF with a real vocabulary from ../shared/fixtures/vocab, that llama.cpp
/// scores to produce the committed goldens (tools/llama-goldens) and the tests rebuild byte for byte.
/// Shared with tools/llama-goldens, so it must not depend on xunit.
/// </summary>
/// <param name="Name">The golden's file name stem.</param>
/// <param name="Architecture">The decoder family.</param>
/// <param name="Type">The type of every weight matrix.</param>
/// <param name="Vocab">The vocabulary file stem: ggml-vocab-VOCAB.gguf.</param>
/// <param name="Scaling">RoPE scaling, if any.</param>
/// <param name="OutputNormScale">The final norm's weights (10 makes the distributions peaked).</param>
internal sealed record FidelityFixture(string Name, ModelArchitecture Architecture, GgmlType Type, string Vocab,
    RopeScaling? Scaling = null, float OutputNormScale = 1)
{
    /// <summary>Tokens in each golden sequence: every position but the last has a next token.</summary>
    public const int SequenceLength = 300;

    /// <summary>Wavelength bands that fall inside a 32-wide head at theta 10000. (Declared before <see cref="All"/>, which uses it.)</summary>
    public static RopeScaling Llama3Scaling { get; } = new(RopeScalingKind.Llama3, Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalContextLength: 64);

    public static IReadOnlyList<FidelityFixture> All { get; } = Build();

    private static List<FidelityFixture> Build()
    {
        var all = new List<FidelityFixture>();
        foreach (var (arch, vocab) in new[] { (ModelArchitecture.Llama, "llama-spm"), (ModelArchitecture.Qwen2, "qwen2"), (ModelArchitecture.Qwen3, "qwen2") })
        {
            foreach (var type in new[] { GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0 })
            {
                all.Add(new($"{Stem(arch)}-{TypeName(type)}", arch, type, vocab));
            }
        }
        all.Add(new("llama-peaked-f32", ModelArchitecture.Llama, GgmlType.F32, "llama-spm", OutputNormScale: 10));
        all.Add(new("qwen3-peaked-f32", ModelArchitecture.Qwen3, GgmlType.F32, "qwen2", OutputNormScale: 10));
        all.Add(new("llama-linear-f32", ModelArchitecture.Llama, GgmlType.F32, "llama-spm", new RopeScaling(RopeScalingKind.Linear, Factor: 4)));
        all.Add(new("llama-llama3-f32", ModelArchitecture.Llama, GgmlType.F32, "llama-spm", Llama3Scaling));
        return all;
    }

    public string VocabFile => $"fixtures/vocab/ggml-vocab-{Vocab}.gguf";

    public static string Stem(ModelArchitecture arch) => arch.ToString().ToLowerInvariant();

    public static string TypeName(GgmlType type) => GgmlTypeInfo.Get(type).Name;

    /// <summary>Llama: 128 wide, untied; Qwen2: 64 wide, tied, QKV biases; Qwen3: 64 wide, heads 32 wide (query width 128), tied, Q/K norms.</summary>
    public ModelConfig Config(int vocabSize) => Architecture switch
    {
        ModelArchitecture.Qwen2 => Base(vocabSize, hidden: 64, headDim: 16) with { RopeTheta = 1e6, RmsNormEps = 1e-6, TieWordEmbeddings = true, QkvBias = true },
        ModelArchitecture.Qwen3 => Base(vocabSize, hidden: 64, headDim: 32) with { RopeTheta = 1e6, RmsNormEps = 1e-6, TieWordEmbeddings = true },
        _ => Base(vocabSize, hidden: 128, headDim: 32),
    } with { Architecture = Architecture, RopeScaling = Scaling ?? RopeScaling.None };

    private static ModelConfig Base(int vocab, int hidden, int headDim) => new()
    {
        Architecture = ModelArchitecture.Llama,
        VocabSize = vocab,
        HiddenSize = hidden,
        IntermediateSize = 256,
        LayerCount = 2,
        HeadCount = 4,
        KvHeadCount = 2,
        HeadDim = headDim,
        ContextLength = 512,
        RmsNormEps = 1e-5,
        RopeTheta = 10000,
    };

    /// <summary>
    /// The KV cache both engines use: F32 for F32 weights, so the whole pass is single precision;
    /// llama.cpp's default F16 otherwise.
    /// </summary>
    public string KvCache => Type == GgmlType.F32 ? "f32" : "f16";

    /// <summary>The seed of the weights: one per architecture, so the types of one architecture quantize the same weights.</summary>
    public ulong Seed => 1000 + (ulong)Architecture;

    /// <summary>The GGUF file, given the path of ../shared.</summary>
    public byte[] BuildGguf(string sharedRoot)
    {
        var tokenizer = RandomCheckpoint.TokenizerOf(Path.Combine(sharedRoot, VocabFile));
        var vocabSize = tokenizer.Single(t => t.Key == "tokenizer.ggml.tokens").Value.ArrayLength;
        var checkpoint = new RandomCheckpoint(Config(vocabSize), Seed, OutputNormScale);
        return checkpoint.ToGguf(Type, tokenizer, Name);
    }

    /// <summary>The scored sequence: uniform random ids.</summary>
    public int[] Tokens(int vocabSize)
    {
        var random = new NormalRandom(7 + Seed);
        return [.. Enumerable.Range(0, SequenceLength).Select(_ => random.NextInt(vocabSize))];
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
