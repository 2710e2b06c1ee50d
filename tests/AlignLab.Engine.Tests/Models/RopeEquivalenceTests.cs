using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.HuggingFace;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Models;

/// <summary>
/// The same random weights, saved as a Hugging Face checkpoint and as llama.cpp's converter would
/// save them in GGUF, must load to the same canonical weights; and RoPE computed in each file's own
/// layout must give the same attention scores, which proves the permutation is the right one.
/// </summary>
public class RopeEquivalenceTests
{
    private sealed class Pair : IDisposable
    {
        private readonly ScratchDirectory _dir = new();
        private readonly HfModelFolder _folder;
        private readonly GgufTensorSource _gguf;

        public Pair(ModelConfig config)
        {
            Model = new TinyModel(config);
            Model.WriteHfFolder(_dir.File("hf"));
            Model.WriteGguf(_dir.File("model.gguf"));
            _folder = HfModelFolder.Open(_dir.File("hf"));
            var file = GgufFile.Open(_dir.File("model.gguf"));
            GgufConfig = GgufModelConfig.Read(file);
            _gguf = new GgufTensorSource(file);
            Hf = _folder.LoadWeights();
            Gguf = new ModelWeights(_gguf, GgufConfig);
        }

        public TinyModel Model { get; }

        public ModelConfig GgufConfig { get; }

        public ModelWeights Hf { get; }

        public ModelWeights Gguf { get; }

        public void Dispose()
        {
            _folder.Dispose();
            _gguf.Dispose();
            _dir.Dispose();
        }
    }

    /// <summary>Llama with attention_bias checks that Q/K biases are permuted like their weights.</summary>
    public static TheoryData<ModelArchitecture, bool> Architectures => new()
    {
        { ModelArchitecture.Llama, false },
        { ModelArchitecture.Llama, true },
        { ModelArchitecture.Qwen2, true },
        { ModelArchitecture.Qwen3, false },
    };

    private static ModelConfig ConfigFor(ModelArchitecture arch, bool bias = false) => TinyModel.Llama(layers: 2) with
    {
        Architecture = arch,
        QkvBias = bias,
        OutputProjectionBias = bias && ArchitectureTable.Get(arch).OutputProjectionBiasFollowsConfig,
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Both_files_load_to_the_same_canonical_weights(ModelArchitecture arch, bool bias)
    {
        using var pair = new Pair(ConfigFor(arch, bias));
        Assert.Equal(RopeLayout.HalfRotation, pair.Hf.StoredRopeLayout);
        Assert.Equal(ArchitectureTable.Get(arch).GgufRopeLayout, pair.Gguf.StoredRopeLayout);
        // GGUF keeps the epsilon as F32 and records no checkpoint dtype.
        Assert.Equal(pair.Hf.Config with { TorchDtype = null, RmsNormEps = (float)pair.Hf.Config.RmsNormEps }, pair.GgufConfig);
        foreach (var (role, layer) in TensorNameTable.Expected(pair.Hf.Config))
        {
            foreach (var layout in Enum.GetValues<RopeLayout>())
            {
                Assert.Equal(pair.Hf.ReadSingle(role, layer, layout), pair.Gguf.ReadSingle(role, layer, layout));
            }
            Assert.Equal(pair.Model.Weights[(role, layer)], pair.Hf.ReadSingle(role, layer, RopeLayout.HalfRotation));
        }
    }

    [Fact]
    public void Llama_gguf_stores_permuted_rows_which_are_not_the_checkpoint_rows()
    {
        using var pair = new Pair(ConfigFor(ModelArchitecture.Llama));
        var hf = pair.Hf.ReadSingle(TensorRole.AttentionKey, 0, RopeLayout.HalfRotation);
        var stored = pair.Gguf.ReadSingle(TensorRole.AttentionKey, 0, pair.Gguf.StoredRopeLayout);
        Assert.NotEqual(hf, stored);
        Assert.Equal(pair.Model.ConverterPermute(hf, [16, 32], RopeRows.KeyHeads), stored);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Rope_in_each_files_own_layout_gives_the_same_attention_scores(ModelArchitecture arch, bool bias)
    {
        using var pair = new Pair(ConfigFor(arch, bias));
        var c = pair.Hf.Config;
        var x = Enumerable.Range(0, c.HiddenSize).Select(i => MathF.Sin(i + 1)).ToArray();
        var y = Enumerable.Range(0, c.HiddenSize).Select(i => MathF.Cos(3 * i)).ToArray();
        const int queryPos = 5, keyPos = 2;

        // Each file, used as-is: its stored rows and the RoPE its ecosystem applies.
        double[] Scores(ModelWeights w, bool matchingRope)
        {
            var layout = matchingRope ? w.StoredRopeLayout : Other(w.StoredRopeLayout);
            var q = Project(w, TensorRole.AttentionQuery, TensorRole.AttentionQueryBias, x, w.StoredRopeLayout);
            var k = Project(w, TensorRole.AttentionKey, TensorRole.AttentionKeyBias, y, w.StoredRopeLayout);
            ReferenceRope.Apply(q, c.HeadDim, queryPos, c.RopeTheta, layout);
            ReferenceRope.Apply(k, c.HeadDim, keyPos, c.RopeTheta, layout);
            var group = c.HeadCount / c.KvHeadCount; // GQA: query head h reads key head h / group
            return [.. Enumerable.Range(0, c.HeadCount).Select(h =>
                Enumerable.Range(0, c.HeadDim).Sum(d => (double)q[(h * c.HeadDim) + d] * k[(h / group * c.HeadDim) + d]))];
        }

        var hf = Scores(pair.Hf, matchingRope: true);
        var gguf = Scores(pair.Gguf, matchingRope: true);
        Assert.All(hf.Zip(gguf), s => Assert.Equal(s.First, s.Second, 1e-4));
        if (pair.Gguf.StoredRopeLayout != pair.Hf.StoredRopeLayout)
        {
            // Applying the other RoPE to the GGUF rows breaks the agreement: the permutation is what makes it hold.
            var wrong = Scores(pair.Gguf, matchingRope: false);
            Assert.Contains(hf.Zip(wrong), s => Math.Abs(s.First - s.Second) > 1e-2);
        }
    }

    private static RopeLayout Other(RopeLayout layout) => layout == RopeLayout.HalfRotation ? RopeLayout.AdjacentPairs : RopeLayout.HalfRotation;

    /// <summary>W·x (+ b), with rows in the stored layout.</summary>
    private static float[] Project(ModelWeights w, TensorRole weight, TensorRole bias, float[] x, RopeLayout layout)
    {
        var m = w.ReadSingle(weight, 0, layout);
        var rows = m.Length / x.Length;
        var b = w.Config.QkvBias ? w.ReadSingle(bias, 0, layout) : new float[rows];
        return [.. Enumerable.Range(0, rows).Select(r => b[r] + Enumerable.Range(0, x.Length).Sum(i => m[(r * x.Length) + i] * x[i]))];
    }
}

/// <summary>A direct transcription of both RoPE conventions, for the test alone.</summary>
internal static class ReferenceRope
{
    public static void Apply(float[] v, int headDim, int pos, double theta, RopeLayout layout)
    {
        var half = headDim / 2;
        for (var head = 0; head < v.Length / headDim; head++)
        {
            var o = head * headDim;
            for (var i = 0; i < half; i++)
            {
                var angle = pos * Math.Pow(theta, -2.0 * i / headDim);
                var (sin, cos) = Math.SinCos(angle);
                // HF rotate_half pairs (i, i + d/2); ggml NORM pairs (2i, 2i + 1).
                var (a, b) = layout == RopeLayout.HalfRotation ? (o + i, o + i + half) : (o + (2 * i), o + (2 * i) + 1);
                var (x0, x1) = (v[a], v[b]);
                v[a] = (float)((x0 * cos) - (x1 * sin));
                v[b] = (float)((x1 * cos) + (x0 * sin));
            }
        }
    }
}
