using AlignLab.Engine.Kernels;
using AlignLab.Engine.Models;
using KernelScaling = AlignLab.Engine.Kernels.RopeScaling;

namespace AlignLab.Engine.Inference;

/// <summary>
/// Rotary position embedding for one model: the cos/sin of each position (computed as the file's own
/// ecosystem computes them: llama.cpp's arithmetic for GGUF, transformers' for a Hugging Face folder)
/// and the rotation of every head in the element order the file stores Q/K rows in, so a model is run
/// with its Q/K weights exactly as stored.
/// </summary>
internal sealed class RopeTable
{
    private readonly RopeFrequencies _frequencies;
    private readonly Kernels.RopeLayout _layout;

    /// <param name="config">Head width, rope_theta and scaling.</param>
    /// <param name="layout">The order of the Q/K rows the rotation is applied to.</param>
    /// <param name="naming">Which ecosystem's arithmetic to reproduce.</param>
    /// <param name="frequencyFactors">GGUF <c>rope_freqs.weight</c>: per-pair divisors (llama3 scaling as converted by llama.cpp).</param>
    public RopeTable(ModelConfig config, Models.RopeLayout layout, TensorNaming naming, ReadOnlySpan<float> frequencyFactors)
    {
        HeadDim = config.HeadDim;
        _layout = layout == Models.RopeLayout.AdjacentPairs ? Kernels.RopeLayout.Normal : Kernels.RopeLayout.Neox;
        var s = config.RopeScaling;
        var scaling = s.Kind switch
        {
            Models.RopeScalingKind.Linear => KernelScaling.Linear((float)s.Factor),
            Models.RopeScalingKind.Llama3 => KernelScaling.Llama3((float)s.Factor, (float)s.LowFreqFactor, (float)s.HighFreqFactor, s.OriginalContextLength),
            _ => KernelScaling.None,
        };
        _frequencies = naming == TensorNaming.Gguf
            ? RopeFrequencies.Ggml((float)config.RopeTheta, HeadDim, scaling, frequencyFactors)
            : RopeFrequencies.HuggingFace((float)config.RopeTheta, HeadDim, scaling);
    }

    public int HeadDim { get; }

    /// <summary>cos and sin of position·θ_i for each pair i: <paramref name="cos"/> and <paramref name="sin"/> are [headDim / 2].</summary>
    public void Angles(int position, Span<float> cos, Span<float> sin) => _frequencies.Compute(position, cos, sin);

    /// <summary>Rotates every head of <paramref name="x"/> [heads · headDim] by the angles of one position.</summary>
    public void Rotate(Span<float> x, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin) => Rope.Apply(x, HeadDim, cos, sin, _layout);
}
