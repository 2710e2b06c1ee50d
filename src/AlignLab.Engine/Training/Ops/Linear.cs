using System.Runtime.InteropServices;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Kernels;

namespace AlignLab.Engine.Training;

/// <summary>
/// A bias-free linear layer y = x·Wᵀ (W [out, in], x [n, in], y [n, out]) and its two gradients, all on
/// the engine's F32 GEMM (<see cref="MatMul.Multiply"/>), which computes Y[t, r] = Σₖ W[r, k]·X[t, k]:
/// <list type="bullet">
/// <item>dX = dY·W: the GEMM with Wᵀ [in, out] as its matrix and dY as its rows;</item>
/// <item>dW = dYᵀ·X: the GEMM with Xᵀ [in, n] as its matrix and dYᵀ [out, n] as its rows, which writes dW [out, in].</item>
/// </list>
/// Each output is computed by one thread in a fixed order, so a thread count gives the same bits every time.
/// </summary>
internal static class Linear
{
    /// <summary>y [n, out] = x [n, in]·Wᵀ.</summary>
    public static void Forward(ParallelTeam team, ReadOnlySpan<float> w, int outputs, int inputs, ReadOnlySpan<float> x, int n, Span<float> y)
        => Multiply(team, w, outputs, inputs, x[..(n * inputs)], y);

    /// <summary>dx [n, in] = dy [n, out]·W, using <paramref name="transposed"/> (≥ out·in) for Wᵀ.</summary>
    public static void BackwardInput(ParallelTeam team, ReadOnlySpan<float> w, int outputs, int inputs, ReadOnlySpan<float> dy, int n, Span<float> dx, Span<float> transposed)
    {
        Transposes.Transpose(team, w, outputs, inputs, transposed);
        Multiply(team, transposed[..(inputs * outputs)], inputs, outputs, dy[..(n * outputs)], dx);
    }

    /// <summary>
    /// dW [out, in] = dyᵀ·x, overwriting <paramref name="dw"/>; <paramref name="xT"/> (≥ in·n) and
    /// <paramref name="dyT"/> (≥ out·n) hold the transposes.
    /// </summary>
    public static void BackwardWeight(ParallelTeam team, ReadOnlySpan<float> x, int inputs, ReadOnlySpan<float> dy, int outputs, int n, Span<float> dw,
        Span<float> xT, Span<float> dyT)
    {
        Transposes.Transpose(team, x, n, inputs, xT);
        Transposes.Transpose(team, dy, n, outputs, dyT);
        Multiply(team, xT[..(inputs * n)], inputs, n, dyT[..(outputs * n)], dw);
    }

    /// <summary>y[t, r] = Σₖ m[r, k]·x[t, k] for the rows of x, on the team's threads.</summary>
    public static void Multiply(ParallelTeam team, ReadOnlySpan<float> m, int rows, int columns, ReadOnlySpan<float> x, Span<float> y)
        => MatMul.Multiply(GgmlType.F32, MemoryMarshal.AsBytes(m[..(rows * columns)]), rows, columns, x, y, Span<float>.Empty, team.Pool);

    /// <summary>The same on the calling thread alone (inside a parallel loop).</summary>
    public static void Multiply(ReadOnlySpan<float> m, int rows, int columns, ReadOnlySpan<float> x, Span<float> y)
        => MatMul.Multiply(GgmlType.F32, MemoryMarshal.AsBytes(m[..(rows * columns)]), rows, columns, x, y, Span<float>.Empty);
}
