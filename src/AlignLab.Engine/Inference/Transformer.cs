using System.Globalization;
using AlignLab.Engine.Kernels;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Inference;

/// <summary>
/// The forward pass, written as the maths: for each layer,
/// <c>x += Wo·attention(rope(Wq·norm(x)), rope(Wk·norm(x)), Wv·norm(x))</c>, then
/// <c>x += Wdown·(silu(Wgate·norm(x)) ⊙ Wup·norm(x))</c>; finally <c>logits = Wout·norm(x)</c>.
/// A batch of tokens goes through each layer together (matrix–matrix products), attending
/// causally to the cache, which holds every earlier position.
/// </summary>
internal static class Transformer
{
    /// <summary>
    /// Runs <paramref name="tokens"/> (at most <see cref="RunState.BatchSize"/>) of one sequence at positions
    /// <paramref name="position"/>… through every layer, storing their keys and values in <paramref name="cache"/>.
    /// Leaves the residual stream of each token in <see cref="RunState.X"/>. With <paramref name="layerCount"/>,
    /// stops after that many layers (0: the token embeddings), leaving the cache of later layers untouched.
    /// </summary>
    public static void Layers(LlamaModel model, RunState s, KvCache cache, ReadOnlySpan<int> tokens, int position, int? layerCount = null)
    {
        for (var t = 0; t < tokens.Length; t++)
        {
            s.Positions[t] = position + t;
            s.Caches[t] = cache;
        }
        Layers(model, s, tokens, layerCount);
    }

    /// <summary>
    /// Runs <paramref name="tokens"/> (at most <see cref="RunState.BatchSize"/>) through every layer, token t
    /// at position <see cref="RunState.Positions"/>[t] of the sequence whose cache is <see cref="RunState.Caches"/>[t]:
    /// one sequence's consecutive tokens, or the next token of each of several sequences. The matrix
    /// products see one batch either way; each token attends only to its own sequence's cache. With
    /// <paramref name="layerCount"/>, only the first that many layers run.
    /// </summary>
    public static void Layers(LlamaModel model, RunState s, ReadOnlySpan<int> tokens, int? layerCount = null)
    {
        var c = model.Config;
        var n = tokens.Length;
        var (hidden, half) = (c.HiddenSize, c.HeadDim / 2);
        var eps = (float)c.RmsNormEps;

        // x = embedding rows of the tokens (only those rows are converted, whatever the table's type)
        for (var t = 0; t < n; t++)
        {
            model.Embedding.ReadRow(tokens[t], s.X.AsSpan(t * hidden, hidden));
            model.Rope.Angles(s.Positions[t], s.Cos.AsSpan(t * half, half), s.Sin.AsSpan(t * half, half));
        }

        for (var l = 0; l < (layerCount ?? c.LayerCount); l++)
        {
            var w = model.Layers[l];

            // Attention block: xb = rmsnorm(x) ⊙ g; q, k, v = xb·Wᵀ (+ b)
            RmsNormRows(s.X, w.AttentionNorm, eps, s.Xb, n, hidden);
            Project(w.Query, w.QueryBias, s.Xb, n, s.Q, s);
            Project(w.Key, w.KeyBias, s.Xb, n, s.K, s);
            Project(w.Value, w.ValueBias, s.Xb, n, s.V, s);
            for (var t = 0; t < n; t++)
            {
                var q = s.Q.AsSpan(t * c.QueryWidth, c.QueryWidth);
                var k = s.K.AsSpan(t * c.KvWidth, c.KvWidth);
                if (w.QueryNorm is not null && w.KeyNorm is not null)
                {
                    // Qwen3: each head normalised on its own before RoPE.
                    RmsNormRows(q, w.QueryNorm, eps, q, c.HeadCount, c.HeadDim);
                    RmsNormRows(k, w.KeyNorm, eps, k, c.KvHeadCount, c.HeadDim);
                }
                var cos = s.Cos.AsSpan(t * half, half);
                var sin = s.Sin.AsSpan(t * half, half);
                model.Rope.Rotate(q, cos, sin);
                model.Rope.Rotate(k, cos, sin);
                s.Caches[t].Store(l, s.Positions[t], k, s.V.AsSpan(t * c.KvWidth, c.KvWidth));
            }
            Attention(c, s, l, n);

            // x += attention·Woᵀ (+ b)
            Project(w.Output, w.OutputBias, s.Attention, n, s.Xb, s);
            AddResidual(s.X, s.Xb, n * hidden);
            CheckFinite(s.X, n, hidden, s.Positions, l, "attention");

            // Feed-forward block: x += (silu(xb·Wgateᵀ) ⊙ xb·Wupᵀ)·Wdownᵀ
            RmsNormRows(s.X, w.FeedForwardNorm, eps, s.Xb, n, hidden);
            ModelOps.MatMul(w.Gate, s.Xb, n, s.Gate, s);
            ModelOps.MatMul(w.Up, s.Xb, n, s.Up, s);
            ModelOps.SwiGlu(s.Gate.AsSpan(0, n * c.IntermediateSize), s.Up.AsSpan(0, n * c.IntermediateSize));
            ModelOps.MatMul(w.Down, s.Gate, n, s.Xb, s);
            AddResidual(s.X, s.Xb, n * hidden);
            CheckFinite(s.X, n, hidden, s.Positions, l, "feed-forward");
        }
    }

    /// <summary>
    /// Logits of <paramref name="count"/> consecutive tokens from row <paramref name="first"/> of the batch last
    /// run through <see cref="Layers(LlamaModel, RunState, ReadOnlySpan{int}, int?)"/>:
    /// <c>logits = rmsnorm(x)·Woutᵀ</c> into <see cref="RunState.Logits"/> [count, vocab].
    /// </summary>
    public static void Logits(LlamaModel model, RunState s, int first, int count)
    {
        var c = model.Config;
        var hidden = c.HiddenSize;
        RmsNormRows(s.X.AsSpan(first * hidden), model.OutputNorm, (float)c.RmsNormEps, s.Xb, count, hidden);
        ModelOps.MatMul(model.Output, s.Xb, count, s.Logits, s);
        CheckFinite(s.Logits, count, c.VocabSize, s.Positions.AsSpan(first, count), -1, "output");
    }

    /// <summary>
    /// Causal grouped-query attention of the batch's queries, each over its own sequence's cache: query
    /// head h reads key/value head h / (heads / kvHeads); token t at position p sees positions
    /// [p − window + 1, p] of <see cref="RunState.Caches"/>[t]. The batch is split into runs of one
    /// sequence's consecutive positions (all of it in prefill and scoring; one token per sequence in a
    /// step of several sequences), each one call of the attention kernel.
    /// </summary>
    private static void Attention(ModelConfig c, RunState s, int layer, int n)
    {
        var width = c.QueryWidth;
        for (var first = 0; first < n;)
        {
            var (cache, position) = (s.Caches[first], s.Positions[first]);
            var end = first + 1;
            while (end < n && s.Caches[end] == cache && s.Positions[end] == position + (end - first))
            {
                end++;
            }
            var shape = new AttentionShape(c.HeadCount, c.KvHeadCount, c.HeadDim, end - first, position, c.SlidingWindow ?? int.MaxValue);
            ModelOps.Attention(cache, layer, shape, s.Q.AsSpan(first * width), s.Attention.AsSpan(first * width), s);
            first = end;
        }
    }

    /// <summary>y = x·Wᵀ (+ b) for n rows.</summary>
    private static void Project(WeightMatrix w, float[]? bias, ReadOnlySpan<float> x, int n, Span<float> y, RunState s)
    {
        ModelOps.MatMul(w, x, n, y, s);
        if (bias is not null)
        {
            ModelOps.AddBias(y, n, bias);
        }
    }

    /// <summary>RMSNorm of each of <paramref name="rows"/> rows of width <paramref name="width"/>.</summary>
    private static void RmsNormRows(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float eps, Span<float> y, int rows, int width)
    {
        for (var r = 0; r < rows; r++)
        {
            ModelOps.RmsNorm(x.Slice(r * width, width), weight, eps, y.Slice(r * width, width));
        }
    }

    private static void AddResidual(Span<float> x, ReadOnlySpan<float> delta, int length)
        => System.Numerics.Tensors.TensorPrimitives.Add(x[..length], delta[..length], x[..length]);

    /// <summary>Throws naming the layer and the position of the first row that holds a NaN or an infinity.</summary>
    private static void CheckFinite(ReadOnlySpan<float> x, int rows, int width, ReadOnlySpan<int> positions, int layer, string stage)
    {
        if (ModelOps.AllFinite(x[..(rows * width)]))
        {
            return;
        }
        var row = 0;
        while (row < rows - 1 && ModelOps.AllFinite(x.Slice(row * width, width)))
        {
            row++;
        }
        var where = layer < 0 ? "output head" : string.Create(CultureInfo.InvariantCulture, $"layer {layer} ({stage})");
        throw new InferenceException(string.Create(CultureInfo.InvariantCulture,
            $"NaN or infinity in the activations after {where} at position {positions[row]}"));
    }
}
