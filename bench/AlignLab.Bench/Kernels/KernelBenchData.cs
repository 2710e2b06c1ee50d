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

    /// <summary>
    /// A K-quant matrix (no quantizer for these here): random quant bits with d and dmin set to
    /// 2⁻⁹ (f16 0x1800), so speed is measured on ordinary values rather than NaNs or subnormals.
    /// </summary>
    public static byte[] KQuantMatrix(GgmlType type, int rows, int columns)
    {
        var info = GgmlTypeInfo.Get(type);
        var bytes = new byte[info.RowByteSize(columns) * rows];
        new Random(1).NextBytes(bytes);
        int[] scaleOffsets = type == GgmlType.Q6_K ? [208] : [0, 2];
        for (var block = 0; block < bytes.Length; block += info.BytesPerBlock)
        {
            foreach (var offset in scaleOffsets)
            {
                bytes[block + offset] = 0x00;
                bytes[block + offset + 1] = 0x18;
            }
        }
        return bytes;
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
