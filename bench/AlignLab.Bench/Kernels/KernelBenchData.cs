using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Quantization;

namespace AlignLab.Bench.Kernels;

internal static class KernelBenchData
{
    /// <summary>A rows × columns matrix of uniform values in [-0.5, 0.5) stored as <paramref name="type"/>.</summary>
    public static byte[] Matrix(GgmlType type, int rows, int columns)
    {
        var values = Floats((long)rows * columns, 1);
        return GgmlQuantizer.Quantize(type, values);
    }

    public static float[] Floats(long n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (long i = 0; i < n; i++)
        {
            x[i] = (float)rng.NextDouble() - 0.5f;
        }
        return x;
    }
}
