namespace AlignLab.Engine.Kernels;

/// <summary>The rope_scaling kinds the kernels reproduce (YaRN and LongRoPE are not here).</summary>
public enum RopeScalingKind
{
    None,

    /// <summary>Positions divided by <see cref="RopeScaling.Factor"/> (HF "linear"; GGUF rope.scaling.type linear).</summary>
    Linear,

    /// <summary>Llama 3.1's wavelength-dependent interpolation (HF "llama3").</summary>
    Llama3,
}

/// <summary>A model's rope_scaling settings; the Llama 3 fields matter only for <see cref="RopeScalingKind.Llama3"/>.</summary>
public readonly record struct RopeScaling(
    RopeScalingKind Kind,
    float Factor,
    float LowFreqFactor = 1f,
    float HighFreqFactor = 4f,
    int OriginalMaxPositionEmbeddings = 8192)
{
    public static RopeScaling None => new(RopeScalingKind.None, 1f);

    public static RopeScaling Linear(float factor) => new(RopeScalingKind.Linear, factor);

    public static RopeScaling Llama3(float factor, float lowFreqFactor, float highFreqFactor, int originalMaxPositionEmbeddings)
        => new(RopeScalingKind.Llama3, factor, lowFreqFactor, highFreqFactor, originalMaxPositionEmbeddings);
}

/// <summary>
/// Builds the per-position cos/sin tables for <see cref="Rope"/>, reproducing the float arithmetic of
/// one of the two reference implementations, which round differently:
/// <list type="bullet">
/// <item><see cref="Ggml"/>: llama.cpp's ggml_rope_cache_init: θ starts at the position and is
/// multiplied by base^(-2/d) once per pair (so rounding accumulates along the head), each angle is
/// θ / ff[i] · freq_scale with ff the rope_freqs factors (Llama 3, written by convert_hf_to_gguf.py)
/// and freq_scale = 1/factor for linear scaling.</item>
/// <item><see cref="HuggingFace"/>: transformers' inv_freq = 1 / base^(2i/d) in float32, adjusted by
/// the scaling rule, and angle = position · inv_freq.</item>
/// </list>
/// cos and sin are then <see cref="MathF.Cos"/>/<see cref="MathF.Sin"/> of the float angle (glibc's cosf/sinf on Linux, as llama.cpp).
/// </summary>
public sealed class RopeFrequencies
{
    private readonly bool _ggml;
    private readonly float _thetaScale;     // ggml: base^(-2/d)
    private readonly float _frequencyScale; // ggml: 1/linear factor
    private readonly float[] _perPair;      // ggml: the rope_freqs divisors; HF: inv_freq

    private RopeFrequencies(bool ggml, float thetaScale, float frequencyScale, float[] perPair)
    {
        _ggml = ggml;
        _thetaScale = thetaScale;
        _frequencyScale = frequencyScale;
        _perPair = perPair;
    }

    /// <summary>Rotation pairs per head (rope dims / 2): the length of the cos and sin tables.</summary>
    public int Pairs => _perPair.Length;

    /// <summary>
    /// llama.cpp's tables. <paramref name="frequencyFactors"/> is a file's rope_freqs tensor when it
    /// has one; otherwise Llama 3 scaling computes the same factors as convert_hf_to_gguf.py.
    /// </summary>
    public static RopeFrequencies Ggml(float ropeBase, int ropeDims, RopeScaling scaling, ReadOnlySpan<float> frequencyFactors = default)
    {
        var pairs = PairCount(ropeDims);
        float[] factors;
        if (!frequencyFactors.IsEmpty)
        {
            KernelGuard.SameLength(pairs, frequencyFactors.Length, nameof(frequencyFactors));
            factors = frequencyFactors.ToArray();
        }
        else if (scaling.Kind == RopeScalingKind.Llama3)
        {
            factors = Llama3Factors(ropeBase, ropeDims, scaling);
        }
        else
        {
            factors = new float[pairs];
            Array.Fill(factors, 1f);
        }
        var frequencyScale = scaling.Kind == RopeScalingKind.Linear ? 1f / scaling.Factor : 1f;
        return new RopeFrequencies(true, MathF.Pow(ropeBase, -2f / ropeDims), frequencyScale, factors);
    }

    /// <summary>transformers' tables (_compute_default / _linear_scaling / _llama3 rope parameters).</summary>
    public static RopeFrequencies HuggingFace(float ropeBase, int ropeDims, RopeScaling scaling)
    {
        var inverse = InverseFrequencies(ropeBase, ropeDims);
        for (var i = 0; i < inverse.Length; i++)
        {
            inverse[i] = scaling.Kind switch
            {
                RopeScalingKind.Linear => inverse[i] / scaling.Factor,
                RopeScalingKind.Llama3 => Llama3InverseFrequency(inverse[i], scaling),
                _ => inverse[i],
            };
        }
        return new RopeFrequencies(false, 0f, 1f, inverse);
    }

    /// <summary>Fills cos[i] and sin[i] (i &lt; <see cref="Pairs"/>) for one position. Allocates nothing.</summary>
    public void Compute(int position, Span<float> cos, Span<float> sin)
    {
        KernelGuard.SameLength(Pairs, cos.Length, nameof(cos));
        KernelGuard.SameLength(Pairs, sin.Length, nameof(sin));
        float theta = position;
        for (var i = 0; i < _perPair.Length; i++)
        {
            float angle;
            if (_ggml)
            {
                angle = _frequencyScale * (theta / _perPair[i]);
                theta *= _thetaScale;
            }
            else
            {
                angle = position * _perPair[i];
            }
            cos[i] = MathF.Cos(angle);
            sin[i] = MathF.Sin(angle);
        }
    }

    private static int PairCount(int ropeDims)
        => ropeDims > 0 && ropeDims % 2 == 0 ? ropeDims / 2 : throw new ArgumentOutOfRangeException(nameof(ropeDims), ropeDims, "rope dimensions must be positive and even");

    // inv_freq = 1 / base^(arange(0, d, 2) / d), all in float32 as torch computes it.
    private static float[] InverseFrequencies(float ropeBase, int ropeDims)
    {
        var inverse = new float[PairCount(ropeDims)];
        for (var i = 0; i < inverse.Length; i++)
        {
            inverse[i] = 1f / MathF.Pow(ropeBase, (float)(2 * i) / ropeDims);
        }
        return inverse;
    }

    // The Llama 3 band edges, as float32 (torch compares a float32 tensor with the Python float in float32).
    private static (float High, float Low) Llama3Wavelengths(RopeScaling s)
        => ((float)(s.OriginalMaxPositionEmbeddings / (double)s.HighFreqFactor), (float)(s.OriginalMaxPositionEmbeddings / (double)s.LowFreqFactor));

    private static float Llama3Smooth(float wavelength, RopeScaling s)
        => (s.OriginalMaxPositionEmbeddings / wavelength - s.LowFreqFactor) / (float)((double)s.HighFreqFactor - s.LowFreqFactor);

    // convert_hf_to_gguf.py (LlamaModel.generate_extra_tensors): the divisor of each pair's frequency.
    private static float[] Llama3Factors(float ropeBase, int ropeDims, RopeScaling s)
    {
        var (high, low) = Llama3Wavelengths(s);
        var factors = InverseFrequencies(ropeBase, ropeDims);
        for (var i = 0; i < factors.Length; i++)
        {
            var wavelength = (float)(2 * Math.PI) / factors[i];
            if (wavelength < high)
            {
                factors[i] = 1f;
            }
            else if (wavelength > low)
            {
                factors[i] = s.Factor;
            }
            else
            {
                var smooth = Llama3Smooth(wavelength, s);
                factors[i] = 1f / ((1f - smooth) / s.Factor + smooth);
            }
        }
        return factors;
    }

    // transformers' _compute_llama3_parameters for one inv_freq entry.
    private static float Llama3InverseFrequency(float inverse, RopeScaling s)
    {
        var (high, low) = Llama3Wavelengths(s);
        var wavelength = (float)(2 * Math.PI) / inverse;
        if (wavelength < high)
        {
            return inverse;
        }
        if (wavelength > low)
        {
            return inverse / s.Factor;
        }
        var smooth = Llama3Smooth(wavelength, s);
        return (1f - smooth) * inverse / s.Factor + smooth * inverse;
    }
}
