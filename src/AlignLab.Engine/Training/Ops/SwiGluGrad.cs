using AlignLab.Engine.Kernels;

namespace AlignLab.Engine.Training;

/// <summary>
/// The gated feed-forward activation over stacked rows [gate | up] of width 2F: h = silu(g) ⊙ u, forward
/// by the engine's kernel (<see cref="Activations.SwiGlu"/>), and its gradient with σ = 1/(1 + e^−g):
/// du = dh ⊙ silu(g), dg = dh ⊙ u ⊙ σ(g)·(1 + g·(1 − σ(g))).
/// </summary>
internal static unsafe class SwiGluGrad
{
    /// <summary>hidden [n, F] = silu(gate) ⊙ up from <paramref name="gateUp"/> [n, 2F].</summary>
    public static void Forward(ParallelTeam team, ReadOnlySpan<float> gateUp, int n, int f, Span<float> hidden)
    {
        fixed (float* pg = gateUp, ph = hidden)
        {
            team.Run(new ForwardWork(pg, ph, n, f));
        }
    }

    /// <summary>dGateUp [n, 2F] from dHidden [n, F] and the forward input gateUp [n, 2F].</summary>
    public static void Backward(ParallelTeam team, ReadOnlySpan<float> dHidden, ReadOnlySpan<float> gateUp, int n, int f, Span<float> dGateUp)
    {
        fixed (float* pdh = dHidden, pg = gateUp, pdg = dGateUp)
        {
            team.Run(new BackwardWork(pdh, pg, pdg, n, f));
        }
    }

    private readonly struct ForwardWork(float* gateUp, float* hidden, int n, int f) : IParallelWork
    {
        public void Execute(int index, int count)
        {
            var (first, end) = ParallelTeam.Share(n, index, count);
            for (var t = first; t < end; t++)
            {
                var row = gateUp + (long)t * 2 * f;
                Activations.SwiGlu(new ReadOnlySpan<float>(row, f), new ReadOnlySpan<float>(row + f, f), new Span<float>(hidden + (long)t * f, f));
            }
        }
    }

    private readonly struct BackwardWork(float* dHidden, float* gateUp, float* dGateUp, int n, int f) : IParallelWork
    {
        public void Execute(int index, int count)
        {
            var (first, end) = ParallelTeam.Share(n, index, count);
            for (var t = first; t < end; t++)
            {
                var row = gateUp + (long)t * 2 * f;
                var dRow = dGateUp + (long)t * 2 * f;
                var dh = dHidden + (long)t * f;
                for (var i = 0; i < f; i++)
                {
                    var (g, u) = (row[i], row[f + i]);
                    var sigmoid = 1f / (1f + MathF.Exp(-g));
                    dRow[i] = dh[i] * u * sigmoid * (1f + g * (1f - sigmoid));
                    dRow[f + i] = dh[i] * g * sigmoid;
                }
            }
        }
    }
}
