using System.Numerics.Tensors;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Inference;

/// <summary>
/// The keys and values of every position seen so far, per layer: K and V are each
/// [layers][contextSize, kvHeads · headDim], in F32 or F16. Keys are stored after RoPE.
/// Allocated once for the whole context.
/// </summary>
internal sealed class KvCache
{
    private readonly float[][]? _k32, _v32; // [layer][pos · kvWidth + kvHead · headDim + d]
    private readonly Half[][]? _k16, _v16;
    private readonly int _kvWidth;
    private readonly int _headDim;

    public KvCache(ModelConfig config, int contextSize, KvCacheType type)
    {
        Type = type;
        ContextSize = contextSize;
        _kvWidth = config.KvWidth;
        _headDim = config.HeadDim;
        var size = checked(contextSize * _kvWidth);
        if (type == KvCacheType.F32)
        {
            _k32 = [.. Enumerable.Range(0, config.LayerCount).Select(_ => new float[size])];
            _v32 = [.. Enumerable.Range(0, config.LayerCount).Select(_ => new float[size])];
        }
        else
        {
            _k16 = [.. Enumerable.Range(0, config.LayerCount).Select(_ => new Half[size])];
            _v16 = [.. Enumerable.Range(0, config.LayerCount).Select(_ => new Half[size])];
        }
    }

    public KvCacheType Type { get; }

    public int ContextSize { get; }

    /// <summary>Stores the key and value rows [kvWidth] of one position.</summary>
    public void Store(int layer, int position, ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        var at = position * _kvWidth;
        if (_k32 is not null)
        {
            key.CopyTo(_k32[layer].AsSpan(at, _kvWidth));
            value.CopyTo(_v32![layer].AsSpan(at, _kvWidth));
        }
        else
        {
            TensorPrimitives.ConvertToHalf(key, _k16![layer].AsSpan(at, _kvWidth));
            TensorPrimitives.ConvertToHalf(value, _v16![layer].AsSpan(at, _kvWidth));
        }
    }

    /// <summary>The key [headDim] of one head at one position; F16 entries are converted into <paramref name="scratch"/>.</summary>
    public ReadOnlySpan<float> Key(int layer, int position, int kvHead, Span<float> scratch)
        => Read(_k32, _k16, layer, position, kvHead, scratch);

    /// <summary>The value [headDim] of one head at one position; F16 entries are converted into <paramref name="scratch"/>.</summary>
    public ReadOnlySpan<float> Value(int layer, int position, int kvHead, Span<float> scratch)
        => Read(_v32, _v16, layer, position, kvHead, scratch);

    private ReadOnlySpan<float> Read(float[][]? f32, Half[][]? f16, int layer, int position, int kvHead, Span<float> scratch)
    {
        var at = (position * _kvWidth) + (kvHead * _headDim);
        if (f32 is not null)
        {
            return f32[layer].AsSpan(at, _headDim);
        }
        TensorPrimitives.ConvertToSingle(f16![layer].AsSpan(at, _headDim), scratch[.._headDim]);
        return scratch[.._headDim];
    }
}
