namespace AlignLab.Engine.Training;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter): first and second moments of every parameter, in the weights' layout,
/// and the update, with bias correction and decoupled weight decay on the matrices only.
/// </summary>
internal sealed class AdamWState
{
    public AdamWState(ParameterLayout layout)
        : this(layout, new float[layout.Count], new float[layout.Count])
    {
    }

    public AdamWState(ParameterLayout layout, float[] m, float[] v)
    {
        if (m.Length != layout.Count || v.Length != layout.Count)
        {
            throw new ArgumentException($"moments of {m.Length} and {v.Length} values for {layout.Count} parameters", nameof(m));
        }
        Layout = layout;
        M = m;
        V = v;
    }

    public ParameterLayout Layout { get; }

    /// <summary>[Count] running mean of the gradients.</summary>
    public float[] M { get; }

    /// <summary>[Count] running mean of the squared gradients.</summary>
    public float[] V { get; }

    /// <summary>
    /// One update with the gradients multiplied by <paramref name="gradientScale"/> (clipping);
    /// <paramref name="step"/> counts from 1. Elementwise, so the result does not depend on the thread count.
    /// </summary>
    public void Update(ParallelTeam team, float[] weights, float[] gradients, int step, float learningRate, float gradientScale, in AdamWSettings settings)
    {
        var update = new Step
        {
            Weights = weights, Gradients = gradients, M = M, V = V, Slots = Layout.Slots,
            LearningRate = learningRate, GradientScale = gradientScale,
            Beta1 = settings.Beta1, Beta2 = settings.Beta2, Epsilon = settings.Epsilon, WeightDecay = settings.WeightDecay,
            Correction1 = 1f - MathF.Pow(settings.Beta1, step),
            Correction2 = 1f - MathF.Pow(settings.Beta2, step),
        };
        team.Run(update);
    }

    private struct Step : IParallelWork
    {
        public float[] Weights, Gradients, M, V;
        public IReadOnlyList<TensorSlot> Slots;
        public float LearningRate, GradientScale, Beta1, Beta2, Epsilon, WeightDecay, Correction1, Correction2;

        public readonly void Execute(int index, int count)
        {
            var (first, end) = ParallelTeam.Share(Weights.Length, index, count);
            for (var s = 0; s < Slots.Count; s++)
            {
                var slot = Slots[s];
                var from = Math.Max(first, slot.Offset);
                var to = Math.Min(end, slot.Offset + slot.Length);
                var decay = slot.Decays ? LearningRate * WeightDecay : 0f;
                for (var i = from; i < to; i++)
                {
                    var g = Gradients[i] * GradientScale;
                    var m = M[i] = Beta1 * M[i] + (1f - Beta1) * g;
                    var v = V[i] = Beta2 * V[i] + (1f - Beta2) * g * g;
                    var mHat = m / Correction1;
                    var vHat = v / Correction2;
                    Weights[i] -= LearningRate * mHat / (MathF.Sqrt(vHat) + Epsilon) + decay * Weights[i];
                }
            }
        }
    }
}

/// <summary>AdamW's constants.</summary>
internal readonly record struct AdamWSettings(float Beta1, float Beta2, float Epsilon, float WeightDecay);
