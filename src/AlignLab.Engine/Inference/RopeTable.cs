using AlignLab.Engine.Models;

namespace AlignLab.Engine.Inference;

/// <summary>
/// Rotary position embedding: the per-pair inverse frequencies with the model's scaling applied, and
/// the rotation of a head vector in either element order (<see cref="RopeLayout"/>), so a model is run
/// with the Q/K rows exactly as its file stores them.
/// </summary>
internal sealed class RopeTable
{
    private readonly double[] _inverseFrequency; // [headDim / 2]

    /// <param name="config">Head width, rope_theta and scaling.</param>
    /// <param name="layout">The order of the Q/K rows the rotation is applied to.</param>
    /// <param name="frequencyFactors">GGUF <c>rope_freqs.weight</c>: per-pair divisors (llama3 scaling as converted by llama.cpp).</param>
    public RopeTable(ModelConfig config, RopeLayout layout, ReadOnlySpan<float> frequencyFactors)
    {
        Layout = layout;
        HeadDim = config.HeadDim;
        var half = HeadDim / 2;
        _inverseFrequency = new double[half];
        var scaling = config.RopeScaling;
        for (var i = 0; i < half; i++)
        {
            // θ_i = base^(−2i/d)
            var inv = Math.Pow(config.RopeTheta, -2.0 * i / HeadDim);
            _inverseFrequency[i] = scaling.Kind switch
            {
                RopeScalingKind.Linear => inv / scaling.Factor,
                RopeScalingKind.Llama3 => Llama3(inv, scaling),
                RopeScalingKind.FrequencyFactors => inv / frequencyFactors[i],
                _ => inv,
            };
        }
    }

    public RopeLayout Layout { get; }

    public int HeadDim { get; }

    /// <summary>
    /// transformers' <c>_compute_llama3_parameters</c>: long wavelengths slowed by the factor, short
    /// ones kept, a smooth blend between.
    /// </summary>
    private static double Llama3(double inv, RopeScaling s)
    {
        var lowFreqWavelength = s.OriginalContextLength / s.LowFreqFactor;
        var highFreqWavelength = s.OriginalContextLength / s.HighFreqFactor;
        var wavelength = 2 * Math.PI / inv;
        if (wavelength < highFreqWavelength)
        {
            return inv;
        }
        if (wavelength > lowFreqWavelength)
        {
            return inv / s.Factor;
        }
        var smooth = ((s.OriginalContextLength / wavelength) - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
        return ((1 - smooth) * inv / s.Factor) + (smooth * inv);
    }

    /// <summary>cos and sin of position·θ_i for each pair i: <paramref name="cos"/> and <paramref name="sin"/> are [headDim / 2].</summary>
    public void Angles(int position, Span<float> cos, Span<float> sin)
    {
        for (var i = 0; i < _inverseFrequency.Length; i++)
        {
            var (s, c) = Math.SinCos(position * _inverseFrequency[i]);
            cos[i] = (float)c;
            sin[i] = (float)s;
        }
    }

    /// <summary>Rotates every head of <paramref name="x"/> [heads · headDim] by the angles of one position.</summary>
    public void Rotate(Span<float> x, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin)
    {
        var half = HeadDim / 2;
        for (var head = 0; head < x.Length; head += HeadDim)
        {
            var v = x.Slice(head, HeadDim);
            for (var i = 0; i < half; i++)
            {
                // The pair (a, b) turns by angle i: (a, b) ← (a·cos − b·sin, b·cos + a·sin).
                var (a, b) = Layout == RopeLayout.HalfRotation ? (i, i + half) : (2 * i, (2 * i) + 1);
                var (x0, x1) = (v[a], v[b]);
                v[a] = (x0 * cos[i]) - (x1 * sin[i]);
                v[b] = (x1 * cos[i]) + (x0 * sin[i]);
            }
        }
    }
}
