using AlignLab.Engine.Models;

namespace AlignLab.Engine.Inference;

/// <summary>
/// One decoder layer's weights. Matrices stay in the file (stored type, Q/K rows in the file's RoPE
/// layout); the small vectors (norms, biases) are read once into F32, biases in the same layout.
/// Optional parts are null when the architecture or config has none.
/// </summary>
internal sealed class LayerWeights
{
    public LayerWeights(ModelWeights w, int layer)
    {
        var layout = w.StoredRopeLayout;
        WeightMatrix Matrix(TensorRole role) => new(w.Source, w.Get(role, layer));
        float[] Vector(TensorRole role) => w.ReadSingle(role, layer, layout);
        float[]? Optional(TensorRole role) => w.TryGet(role, layer, out _) ? Vector(role) : null;

        AttentionNorm = Vector(TensorRole.AttentionNorm);
        Query = Matrix(TensorRole.AttentionQuery);
        Key = Matrix(TensorRole.AttentionKey);
        Value = Matrix(TensorRole.AttentionValue);
        Output = Matrix(TensorRole.AttentionOutput);
        var c = w.Config;
        QueryBias = c.QkvBias ? Vector(TensorRole.AttentionQueryBias) : null;
        KeyBias = c.QkvBias ? Vector(TensorRole.AttentionKeyBias) : null;
        ValueBias = c.QkvBias ? Vector(TensorRole.AttentionValueBias) : null;
        OutputBias = c.OutputProjectionBias ? Vector(TensorRole.AttentionOutputBias) : null;
        QueryNorm = c.Spec.HasQkNorm ? Vector(TensorRole.AttentionQueryNorm) : Optional(TensorRole.AttentionQueryNorm);
        KeyNorm = c.Spec.HasQkNorm ? Vector(TensorRole.AttentionKeyNorm) : Optional(TensorRole.AttentionKeyNorm);
        FeedForwardNorm = Vector(TensorRole.FeedForwardNorm);
        Gate = Matrix(TensorRole.FeedForwardGate);
        Up = Matrix(TensorRole.FeedForwardUp);
        Down = Matrix(TensorRole.FeedForwardDown);
    }

    /// <summary>[hidden]</summary>
    public float[] AttentionNorm { get; }

    /// <summary>[heads · headDim, hidden]</summary>
    public WeightMatrix Query { get; }

    /// <summary>[kvHeads · headDim, hidden]</summary>
    public WeightMatrix Key { get; }

    /// <summary>[kvHeads · headDim, hidden]</summary>
    public WeightMatrix Value { get; }

    /// <summary>[hidden, heads · headDim]</summary>
    public WeightMatrix Output { get; }

    public float[]? QueryBias { get; }

    public float[]? KeyBias { get; }

    public float[]? ValueBias { get; }

    public float[]? OutputBias { get; }

    /// <summary>[headDim] Qwen3's per-head RMSNorm of queries before RoPE.</summary>
    public float[]? QueryNorm { get; }

    /// <summary>[headDim] Qwen3's per-head RMSNorm of keys before RoPE.</summary>
    public float[]? KeyNorm { get; }

    /// <summary>[hidden]</summary>
    public float[] FeedForwardNorm { get; }

    /// <summary>[ffn, hidden]</summary>
    public WeightMatrix Gate { get; }

    /// <summary>[ffn, hidden]</summary>
    public WeightMatrix Up { get; }

    /// <summary>[hidden, ffn]</summary>
    public WeightMatrix Down { get; }
}
