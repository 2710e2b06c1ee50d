using System.Numerics.Tensors;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Inference;

/// <summary>
/// The keys and values of every position seen so far, per layer, in F32 or F16, allocated once for
/// the whole context. Keys are stored after RoPE as rows, [contextSize, kvHeads · headDim]; values
/// transposed, [kvHeads · headDim, contextSize], as <see cref="Kernels.Attention"/> reads them (so that
/// weighting the values is a product of contiguous rows).
/// </summary>
internal sealed class KvCache
{
    private readonly float[][]? _k32, _v32;
    private readonly Half[][]? _k16, _v16;
    private readonly Half[] _row16;
    private readonly int _kvWidth;

    public KvCache(ModelConfig config, int contextSize, KvCacheType type)
    {
        Type = type;
        ContextSize = contextSize;
        _kvWidth = config.KvWidth;
        var size = checked(contextSize * _kvWidth);
        if (type == KvCacheType.F32)
        {
            _k32 = [.. Enumerable.Range(0, config.LayerCount).Select(_ => new float[size])];
            _v32 = [.. Enumerable.Range(0, config.LayerCount).Select(_ => new float[size])];
            _row16 = [];
        }
        else
        {
            _k16 = [.. Enumerable.Range(0, config.LayerCount).Select(_ => new Half[size])];
            _v16 = [.. Enumerable.Range(0, config.LayerCount).Select(_ => new Half[size])];
            _row16 = new Half[_kvWidth];
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
            var v = _v32![layer];
            for (var i = 0; i < value.Length; i++)
            {
                v[(i * ContextSize) + position] = value[i];
            }
        }
        else
        {
            TensorPrimitives.ConvertToHalf(key, _k16![layer].AsSpan(at, _kvWidth));
            TensorPrimitives.ConvertToHalf(value, _row16);
            var v = _v16![layer];
            for (var i = 0; i < _row16.Length; i++)
            {
                v[(i * ContextSize) + position] = _row16[i];
            }
        }
    }

    /// <summary>Layer <paramref name="layer"/>'s keys [contextSize, kvWidth] when the cache is F32.</summary>
    public ReadOnlySpan<float> Keys32(int layer) => _k32![layer];

    /// <summary>Layer <paramref name="layer"/>'s values, transposed [kvWidth, contextSize], when the cache is F32.</summary>
    public ReadOnlySpan<float> Values32(int layer) => _v32![layer];

    /// <summary>Layer <paramref name="layer"/>'s keys [contextSize, kvWidth] when the cache is F16.</summary>
    public ReadOnlySpan<Half> Keys16(int layer) => _k16![layer];

    /// <summary>Layer <paramref name="layer"/>'s values, transposed [kvWidth, contextSize], when the cache is F16.</summary>
    public ReadOnlySpan<Half> Values16(int layer) => _v16![layer];
}
