using System.Diagnostics.CodeAnalysis;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Quantization;

namespace AlignLab.Engine.Models;

/// <summary>
/// A tensor source checked against a config: every tensor the config implies is present with the
/// shape it implies, and each is reachable by (role, layer) whatever the file calls it.
/// <see cref="StoredRopeLayout"/> says how the file orders Q/K rows; the Read methods return them in
/// whichever layout the caller computes RoPE with, so a Hugging Face checkpoint and its GGUF
/// conversion give the same weights.
/// </summary>
public sealed class ModelWeights
{
    public ModelWeights(ITensorSource source, ModelConfig config)
    {
        Source = source ?? throw new ArgumentNullException(nameof(source));
        Config = config ?? throw new ArgumentNullException(nameof(config));
        // Hugging Face checkpoints always use rotate_half; a GGUF file uses its architecture's llama.cpp RoPE.
        StoredRopeLayout = source.Naming == TensorNaming.HuggingFace ? RopeLayout.HalfRotation : config.Spec.GgufRopeLayout;
        foreach (var (role, layer) in TensorNameTable.Expected(config))
        {
            CheckShape(Get(role, layer), TensorNameTable.Get(role).ResolveShape(config));
        }
    }

    public ITensorSource Source { get; }

    public ModelConfig Config { get; }

    /// <summary>The order of the Q/K rows (and biases) as the file stores them.</summary>
    public RopeLayout StoredRopeLayout { get; }

    /// <summary>The file's name for a role; <paramref name="layer"/> is ignored for whole-model tensors.</summary>
    public string? NameOf(TensorRole role, int layer = -1) => TensorNameTable.Get(role).Name(Source.Naming, layer);

    public bool TryGet(TensorRole role, int layer, [NotNullWhen(true)] out TensorDescriptor? tensor)
    {
        tensor = null;
        return NameOf(role, layer) is { } name && Source.TryGet(name, out tensor);
    }

    public TensorDescriptor Get(TensorRole role, int layer = -1)
        => TryGet(role, layer, out var tensor)
            ? tensor
            : throw ModelFormatException.In(Source.Location, $"tensor \"{NameOf(role, layer) ?? role.ToString()}\"", "missing");

    /// <summary>The tensor's raw bytes, with Q/K rows reordered into <paramref name="layout"/>.</summary>
    public byte[] ReadBytes(TensorRole role, int layer, RopeLayout layout)
    {
        var tensor = Get(role, layer);
        var data = Source.GetData(tensor);
        if (TensorNameTable.Get(role).Rope == RopeRows.None || layout == StoredRopeLayout)
        {
            return data.ToArray();
        }
        // Permuted "rows" are output features: Shape[0] of a weight [out, in], and each element of a bias [out].
        var permuted = new byte[data.Length];
        RopePermutation.PermuteRows(data, permuted, checked((int)(tensor.ByteSize / tensor.Shape[0])), Config.HeadDim, StoredRopeLayout, layout);
        return permuted;
    }

    /// <summary>The tensor dequantized to F32, row-major in PyTorch order, with Q/K rows in <paramref name="layout"/>.</summary>
    public float[] ReadSingle(TensorRole role, int layer, RopeLayout layout)
    {
        var tensor = Get(role, layer);
        var values = new float[tensor.ElementCount];
        GgmlDequantizer.Dequantize(tensor.Type, ReadBytes(role, layer, layout), values);
        return values;
    }

    private void CheckShape(TensorDescriptor tensor, long[] expected)
    {
        if (!tensor.Shape.SequenceEqual(expected))
        {
            throw ModelFormatException.In(Source.Location, $"tensor \"{tensor.Name}\"",
                $"shape [{string.Join(", ", tensor.Shape)}] but the config implies [{string.Join(", ", expected)}]");
        }
        if (!GgmlTypeInfo.Get(tensor.Type).IsSupported)
        {
            throw ModelFormatException.In(Source.Location, $"tensor \"{tensor.Name}\"", $"type {GgmlTypeInfo.Get(tensor.Type).Name} is not supported");
        }
    }
}
