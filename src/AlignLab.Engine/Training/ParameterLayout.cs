using AlignLab.Engine.Models;

namespace AlignLab.Engine.Training;

/// <summary>A matrix [Rows, Columns] (or a vector: one row) at <see cref="Offset"/> in a flat parameter buffer.</summary>
/// <param name="Offset">Index of the first element.</param>
/// <param name="Rows">Outer dimension (a linear layer's outputs).</param>
/// <param name="Columns">Contiguous dimension (a linear layer's inputs).</param>
/// <param name="Decays">Whether AdamW's weight decay applies (matrices yes, norm weights no).</param>
internal readonly record struct TensorSlot(int Offset, int Rows, int Columns, bool Decays)
{
    public int Length => Rows * Columns;

    public Span<float> Of(float[] buffer) => buffer.AsSpan(Offset, Length);
}

/// <summary>The slots of one decoder layer.</summary>
/// <param name="AttentionNorm">[D] RMSNorm weight before attention.</param>
/// <param name="Qkv">[H·hd + 2·K·hd, D] the Q, K and V projections stacked (Q/K rows in adjacent-pair RoPE order).</param>
/// <param name="Output">[D, H·hd] the attention output projection.</param>
/// <param name="FeedForwardNorm">[D] RMSNorm weight before the feed-forward block.</param>
/// <param name="GateUp">[2·F, D] the gate and up projections stacked.</param>
/// <param name="Down">[D, F] the down projection.</param>
internal readonly record struct LayerSlots(TensorSlot AttentionNorm, TensorSlot Qkv, TensorSlot Output, TensorSlot FeedForwardNorm, TensorSlot GateUp, TensorSlot Down);

/// <summary>
/// Where every parameter of a trainable model lives in one flat float buffer, in the manner of
/// llama2.c: the weights, their gradients and AdamW's two moments are each one buffer with this
/// layout, so the optimizer, clipping and checkpoints work on whole arrays. Q, K and V (and gate and
/// up) are stacked so each pair of products is one matrix multiplication.
/// With D = hidden, H/K = query/key-value heads, hd = head width, F = feed-forward width, V = vocabulary.
/// </summary>
internal sealed class ParameterLayout
{
    public ParameterLayout(ModelConfig config)
    {
        TrainableArchitecture.Check(config);
        Config = config;
        var offset = 0;
        TensorSlot Next(int rows, int columns, bool decays)
        {
            var slot = new TensorSlot(offset, rows, columns, decays);
            offset = checked(offset + slot.Length);
            return slot;
        }

        var (d, f) = (config.HiddenSize, config.IntermediateSize);
        Embedding = Next(config.VocabSize, d, decays: true);
        Layers = new LayerSlots[config.LayerCount];
        for (var l = 0; l < Layers.Length; l++)
        {
            Layers[l] = new LayerSlots(
                AttentionNorm: Next(1, d, decays: false),
                Qkv: Next(config.QueryWidth + 2 * config.KvWidth, d, decays: true),
                Output: Next(d, config.QueryWidth, decays: true),
                FeedForwardNorm: Next(1, d, decays: false),
                GateUp: Next(2 * f, d, decays: true),
                Down: Next(d, f, decays: true));
        }
        OutputNorm = Next(1, d, decays: false);
        Count = offset;
        Slots = [Embedding, .. Layers.SelectMany(l => new[] { l.AttentionNorm, l.Qkv, l.Output, l.FeedForwardNorm, l.GateUp, l.Down }), OutputNorm];
    }

    public ModelConfig Config { get; }

    /// <summary>[V, D] token embedding, also the output head (tied).</summary>
    public TensorSlot Embedding { get; }

    public LayerSlots[] Layers { get; }

    /// <summary>[D] final RMSNorm weight.</summary>
    public TensorSlot OutputNorm { get; }

    /// <summary>Floats in the whole buffer.</summary>
    public int Count { get; }

    /// <summary>Every slot in buffer order.</summary>
    public IReadOnlyList<TensorSlot> Slots { get; }

    /// <summary>The widest matrix input or output, for transpose scratch.</summary>
    public int WidestMatrixSide => Slots.Max(s => Math.Max(s.Rows, s.Columns));

    /// <summary>The largest matrix, for its transpose.</summary>
    public int LargestMatrix => Slots.Max(s => s.Length);
}
