using AlignLab.Engine.Kernels;

namespace AlignLab.Engine.Training;

/// <summary>
/// RMSNorm over rows of width d: y = x·r ⊙ w with r = 1/√(mean(x²) + ε), forward by the engine's
/// kernel (<see cref="RmsNorm"/>), and its gradient:
/// dx = r·(dy ⊙ w) − x·r³/d·Σ(dy ⊙ w ⊙ x), dw = Σₜ dyₜ ⊙ xₜ·rₜ.
/// </summary>
internal static unsafe class RmsNormGrad
{
    /// <summary>y [n, d] = rmsnorm(x [n, d]) ⊙ w, rows split over the threads.</summary>
    public static void Forward(ParallelTeam team, ReadOnlySpan<float> x, ReadOnlySpan<float> w, float epsilon, Span<float> y, int n)
    {
        var d = w.Length;
        fixed (float* px = x, pw = w, py = y)
        {
            team.Run(new ForwardWork(px, pw, py, epsilon, n, d));
        }
    }

    /// <summary>
    /// Adds the gradient for x into <paramref name="dx"/> and writes the one for w into <paramref name="dw"/>;
    /// <paramref name="inverseRms"/> [n] is scratch. dx is split over the threads by rows, dw by columns,
    /// so every sum runs in one fixed order whatever the thread count.
    /// </summary>
    public static void Backward(ParallelTeam team, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> w, float epsilon, int n,
        Span<float> dx, Span<float> dw, Span<float> inverseRms)
    {
        var d = w.Length;
        fixed (float* pdy = dy, px = x, pw = w, pdx = dx, pdw = dw, pr = inverseRms)
        {
            team.Run(new InputWork(pdy, px, pw, pdx, pr, epsilon, n, d));
            team.Run(new WeightWork(pdy, px, pdw, pr, n, d));
        }
    }

    /// <summary>1/√(mean(x²) + ε), computed as the forward kernel computes it.</summary>
    public static float InverseRms(ReadOnlySpan<float> row, float epsilon) => 1f / MathF.Sqrt(VectorOps.Dot(row, row) / row.Length + epsilon);

    private readonly struct ForwardWork(float* x, float* w, float* y, float epsilon, int n, int d) : IParallelWork
    {
        public void Execute(int index, int count)
        {
            var (first, end) = ParallelTeam.Share(n, index, count);
            var weight = new ReadOnlySpan<float>(w, d);
            for (var t = first; t < end; t++)
            {
                RmsNorm.Apply(new ReadOnlySpan<float>(x + (long)t * d, d), weight, epsilon, new Span<float>(y + (long)t * d, d));
            }
        }
    }

    private readonly struct InputWork(float* dy, float* x, float* w, float* dx, float* inverseRms, float epsilon, int n, int d) : IParallelWork
    {
        public void Execute(int index, int count)
        {
            var (first, end) = ParallelTeam.Share(n, index, count);
            for (var t = first; t < end; t++)
            {
                var xt = x + (long)t * d;
                var dyt = dy + (long)t * d;
                var dxt = dx + (long)t * d;
                var r = InverseRms(new ReadOnlySpan<float>(xt, d), epsilon);
                inverseRms[t] = r;
                var sum = 0f;
                for (var i = 0; i < d; i++)
                {
                    sum += dyt[i] * w[i] * xt[i];
                }
                var c = r * r * r * sum / d;
                for (var i = 0; i < d; i++)
                {
                    dxt[i] += r * dyt[i] * w[i] - xt[i] * c;
                }
            }
        }
    }

    private readonly struct WeightWork(float* dy, float* x, float* dw, float* inverseRms, int n, int d) : IParallelWork
    {
        public void Execute(int index, int count)
        {
            var (first, end) = ParallelTeam.Share(d, index, count);
            for (var i = first; i < end; i++)
            {
                dw[i] = 0;
            }
            for (var t = 0; t < n; t++)
            {
                var r = inverseRms[t];
                var xt = x + (long)t * d;
                var dyt = dy + (long)t * d;
                for (var i = first; i < end; i++)
                {
                    dw[i] += dyt[i] * xt[i] * r;
                }
            }
        }
    }
}
