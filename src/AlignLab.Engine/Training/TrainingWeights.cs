using AlignLab.Engine.Generation;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Training;

/// <summary>
/// The parameters of a trainable model in one flat F32 buffer (<see cref="ParameterLayout"/>), Q/K
/// rows in the adjacent-pair RoPE order the engine runs GGUF Llama files in. Converts to and from the
/// engine's per-tensor view (<see cref="TensorRole"/>), which every loader and exporter speaks.
/// </summary>
public sealed class TrainingWeights
{
    internal TrainingWeights(ParameterLayout layout, float[] data)
    {
        if (data.Length != layout.Count)
        {
            throw new ArgumentException($"{data.Length} values for a model of {layout.Count} parameters", nameof(data));
        }
        Layout = layout;
        Data = data;
    }

    public ModelConfig Config => Layout.Config;

    /// <summary>Number of parameters.</summary>
    public int Count => Layout.Count;

    internal ParameterLayout Layout { get; }

    /// <summary>[Count] every parameter, laid out by <see cref="Layout"/>.</summary>
    internal float[] Data { get; }

    /// <summary>
    /// Fresh weights for <paramref name="config"/> from <paramref name="seed"/>: matrices N(0, 0.02²), the two
    /// projections that write into the residual stream (attention output, down) scaled by 1/√(2·layers) as
    /// in GPT-2, norm weights 1.
    /// </summary>
    public static TrainingWeights Initialize(ModelConfig config, ulong seed)
    {
        const double std = 0.02;
        var layout = new ParameterLayout(config);
        var data = new float[layout.Count];
        var random = new SamplingRandom(seed);
        var residualStd = std / Math.Sqrt(2.0 * config.LayerCount);
        FillNormal(layout.Embedding.Of(data), std, random);
        foreach (var layer in layout.Layers)
        {
            layer.AttentionNorm.Of(data).Fill(1f);
            FillNormal(layer.Qkv.Of(data), std, random);
            FillNormal(layer.Output.Of(data), residualStd, random);
            layer.FeedForwardNorm.Of(data).Fill(1f);
            FillNormal(layer.GateUp.Of(data), std, random);
            FillNormal(layer.Down.Of(data), residualStd, random);
        }
        layout.OutputNorm.Of(data).Fill(1f);
        return new TrainingWeights(layout, data);
    }

    /// <summary>The weights of a model the engine loaded (a GGUF file or a Hugging Face folder), converted to F32.</summary>
    public static TrainingWeights FromModel(ModelWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var layout = new ParameterLayout(weights.Config);
        var data = new float[layout.Count];
        foreach (var (role, layer) in TensorNameTable.Expected(weights.Config))
        {
            weights.ReadSingle(role, layer, RopeLayout.AdjacentPairs).CopyTo(Region(layout, role, layer).Of(data));
        }
        return new TrainingWeights(layout, data);
    }

    /// <summary>
    /// Every tensor as the engine names it: (role, layer, values), values row-major in PyTorch shape order
    /// (<see cref="TensorNameTable"/>), Q/K rows in <see cref="RopeLayout.AdjacentPairs"/> order. Layer is −1
    /// for whole-model tensors.
    /// </summary>
    public IEnumerable<(TensorRole Role, int Layer, float[] Values)> Tensors()
    {
        foreach (var (role, layer) in TensorNameTable.Expected(Config))
        {
            yield return (role, layer, Region(Layout, role, layer).Of(Data).ToArray());
        }
    }

    /// <summary>A copy that shares nothing with this one.</summary>
    public TrainingWeights Clone() => new(Layout, (float[])Data.Clone());

    /// <summary>The part of the buffer that holds one engine tensor: a whole slot, or a block of rows of a stacked one.</summary>
    private static TensorSlot Region(ParameterLayout layout, TensorRole role, int layer)
    {
        var c = layout.Config;
        var d = c.HiddenSize;
        LayerSlots L() => layout.Layers[layer];
        TensorSlot Rows(TensorSlot slot, int first, int count) => new(slot.Offset + first * slot.Columns, count, slot.Columns, slot.Decays);
        return role switch
        {
            TensorRole.TokenEmbedding => layout.Embedding,
            TensorRole.OutputNorm => layout.OutputNorm,
            TensorRole.AttentionNorm => L().AttentionNorm,
            TensorRole.AttentionQuery => Rows(L().Qkv, 0, c.QueryWidth),
            TensorRole.AttentionKey => Rows(L().Qkv, c.QueryWidth, c.KvWidth),
            TensorRole.AttentionValue => Rows(L().Qkv, c.QueryWidth + c.KvWidth, c.KvWidth),
            TensorRole.AttentionOutput => L().Output,
            TensorRole.FeedForwardNorm => L().FeedForwardNorm,
            TensorRole.FeedForwardGate => Rows(L().GateUp, 0, c.IntermediateSize),
            TensorRole.FeedForwardUp => Rows(L().GateUp, c.IntermediateSize, c.IntermediateSize),
            TensorRole.FeedForwardDown => L().Down,
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, $"not a tensor of a trainable model (hidden {d})"),
        };
    }

    /// <summary>N(0, std²) by Box–Muller from the engine's integer-only generator, so a seed always gives the same weights.</summary>
    private static void FillNormal(Span<float> values, double std, SamplingRandom random)
    {
        for (var i = 0; i < values.Length; i += 2)
        {
            var radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            var angle = 2 * Math.PI * random.NextDouble();
            values[i] = (float)(radius * Math.Cos(angle) * std);
            if (i + 1 < values.Length)
            {
                values[i + 1] = (float)(radius * Math.Sin(angle) * std);
            }
        }
    }
}
