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
/// <param name="VocabLimit">When positive, only the vocabulary's first this many tokens are kept (a smaller embedding and head).</param>
internal sealed record FidelityFixture(string Name, ModelArchitecture Architecture, GgmlType Type, string Vocab,
    RopeScaling? Scaling = null, float OutputNormScale = 1, int VocabLimit = 0)
{
    /// <summary>
    /// The K-quant fixtures keep the first 4,096 tokens of the llama-spm vocabulary (bytes and the
    /// commonest pieces), so quantizing and scoring the 256-wide embedding and head stays quick.
    /// </summary>
    public const int KQuantVocabLimit = 4096;

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
        // K-quants: every matrix row must be a whole number of 256-value super-blocks, so these are
        // 256 wide (4 heads of 64, FFN 512); both architectures use the trimmed llama-spm vocabulary.
        foreach (var arch in new[] { ModelArchitecture.Llama, ModelArchitecture.Qwen2 })
        {
            foreach (var type in new[] { GgmlType.Q4_K, GgmlType.Q6_K })
            {
                all.Add(new($"{Stem(arch)}-{TypeName(type)}", arch, type, "llama-spm", VocabLimit: KQuantVocabLimit));
            }
        }
        return all;
    }

    /// <summary>Whether <see cref="Type"/> is a K-quant (256-value super-blocks), which takes the wider K-quant shapes.</summary>
    public bool IsKQuant => GgmlTypeInfo.Get(Type).BlockSize == 256;

    public string VocabFile => $"fixtures/vocab/ggml-vocab-{Vocab}.gguf";

    public static string Stem(ModelArchitecture arch) => arch.ToString().ToLowerInvariant();

    public static string TypeName(GgmlType type) => GgmlTypeInfo.Get(type).Name;

    /// <summary>
    /// Llama: 128 wide, untied; Qwen2: 64 wide, tied, QKV biases; Qwen3: 64 wide, heads 32 wide (query width 128), tied, Q/K norms.
    /// K-quant fixtures: 256 wide, heads 64 wide (query width 256), FFN 512, otherwise as their architecture.
    /// </summary>
    public ModelConfig Config(int vocabSize) => (Architecture, IsKQuant) switch
    {
        (ModelArchitecture.Qwen2, false) => Base(vocabSize, hidden: 64, headDim: 16) with { RopeTheta = 1e6, RmsNormEps = 1e-6, TieWordEmbeddings = true, QkvBias = true },
        (ModelArchitecture.Qwen2, true) => Base(vocabSize, hidden: 256, headDim: 64, ffn: 512) with { RopeTheta = 1e6, RmsNormEps = 1e-6, TieWordEmbeddings = true, QkvBias = true },
        (ModelArchitecture.Qwen3, false) => Base(vocabSize, hidden: 64, headDim: 32) with { RopeTheta = 1e6, RmsNormEps = 1e-6, TieWordEmbeddings = true },
        (ModelArchitecture.Qwen3, true) => Base(vocabSize, hidden: 256, headDim: 64, ffn: 512) with { RopeTheta = 1e6, RmsNormEps = 1e-6, TieWordEmbeddings = true },
        (_, false) => Base(vocabSize, hidden: 128, headDim: 32),
        (_, true) => Base(vocabSize, hidden: 256, headDim: 64, ffn: 512),
    } with { Architecture = Architecture, RopeScaling = Scaling ?? RopeScaling.None };

    private static ModelConfig Base(int vocab, int hidden, int headDim, int ffn = 256) => new()
    {
        Architecture = ModelArchitecture.Llama,
        VocabSize = vocab,
        HiddenSize = hidden,
        IntermediateSize = ffn,
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
        if (VocabLimit > 0)
        {
            tokenizer = RandomCheckpoint.TrimVocabulary(tokenizer, VocabLimit);
        }
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
