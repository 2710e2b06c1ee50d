using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Inference.Fidelity;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Tests.Inference;

/// <summary>Small random models built in memory, with a made-up vocabulary: no ../shared needed.</summary>
internal static class TestModels
{
    public static ModelConfig Config(ModelArchitecture arch = ModelArchitecture.Llama, int layers = 2) => new()
    {
        Architecture = arch,
        VocabSize = 96,
        HiddenSize = 64,
        IntermediateSize = 96,
        LayerCount = layers,
        HeadCount = 4,
        KvHeadCount = 2,
        HeadDim = arch == ModelArchitecture.Qwen3 ? 32 : 16,
        ContextLength = 128,
        RmsNormEps = 1e-6,
        RopeTheta = 10000,
        TieWordEmbeddings = arch is ModelArchitecture.Qwen2 or ModelArchitecture.Qwen3,
        QkvBias = arch == ModelArchitecture.Qwen2,
    };

    public static RandomCheckpoint Checkpoint(ModelConfig config, ulong seed = 5, float outputNormScale = 10)
        => new(config, seed, outputNormScale);

    public static byte[] Gguf(RandomCheckpoint checkpoint, GgmlType type = GgmlType.F32,
        IReadOnlyDictionary<TensorRole, GgmlType>? typeOverrides = null, IReadOnlySet<TensorRole>? omit = null)
        => checkpoint.ToGguf(type, RandomCheckpoint.SyntheticTokenizer(checkpoint.Config.VocabSize), "test", typeOverrides, omit);

    public static LlamaModel Load(RandomCheckpoint checkpoint, GgmlType type = GgmlType.F32)
        => LlamaModel.FromGguf(GgufFile.Parse(Gguf(checkpoint, type), "test.gguf"));

    public static LlamaModel Load(ModelConfig config, GgmlType type = GgmlType.F32) => Load(Checkpoint(config), type);

    /// <summary>
    /// The checkpoint's GGUF tensors run under its own config, including what GGUF cannot say
    /// (a Mistral sliding window: llama.cpp's converter writes Mistral as llama).
    /// </summary>
    public static LlamaModel LoadWithOwnConfig(RandomCheckpoint checkpoint)
    {
        var source = new GgufTensorSource(GgufFile.Parse(Gguf(checkpoint), "test.gguf"));
        return LlamaModel.FromWeights(new ModelWeights(source, checkpoint.Config), source);
    }

    /// <summary>
    /// A small random model (hidden 64, 2 layers, tied embeddings) with the real vocabulary of a
    /// ../shared/fixtures/vocab file, so text goes in and out; <paramref name="extra"/> adds or replaces
    /// metadata (a chat template, say).
    /// </summary>
    public static byte[] GgufWithVocab(string vocabFile, ModelArchitecture arch = ModelArchitecture.Llama,
        IEnumerable<(string Key, GgufValue Value)>? extra = null, GgmlType type = GgmlType.F32, ulong seed = 5)
    {
        var added = extra?.ToList() ?? [];
        var tokenizer = RandomCheckpoint.TokenizerOf(vocabFile).Where(t => added.All(a => a.Key != t.Key)).Concat(added).ToList();
        var vocab = tokenizer.Single(t => t.Key == "tokenizer.ggml.tokens").Value.ArrayLength;
        var config = Config(arch) with { VocabSize = vocab, TieWordEmbeddings = true, ContextLength = 256 };
        return Checkpoint(config, seed).ToGguf(type, tokenizer, "test");
    }

    /// <summary>A model and its tokenizer from GGUF bytes.</summary>
    public static (LlamaModel Model, Tokenizer Tokenizer) LoadWithTokenizer(byte[] gguf)
    {
        var file = GgufFile.Parse(gguf, "test.gguf");
        return (LlamaModel.FromGguf(file), TokenizerLoader.FromGguf(file));
    }

    public static int[] Tokens(int count, int vocab, ulong seed = 3)
    {
        var random = new NormalRandom(seed);
        return [.. Enumerable.Range(0, count).Select(_ => random.NextInt(vocab))];
    }
}
