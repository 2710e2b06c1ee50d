using System.Globalization;

namespace AlignLab.Engine.Inference;

/// <summary>Unit vectors: a pooled hidden state divided by its Euclidean length, the form embeddings are compared in.</summary>
public static class L2Normalization
{
    /// <summary><paramref name="vector"/> divided by its Euclidean length; a zero or non-finite vector has no direction and is refused.</summary>
    public static float[] Normalize(ReadOnlySpan<float> vector)
    {
        var squares = 0.0;
        foreach (var v in vector)
        {
            squares += (double)v * v;
        }
        var length = Math.Sqrt(squares);
        if (!(length > 0) || double.IsInfinity(length))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"a vector of length {length} cannot be normalised"), nameof(vector));
        }
        var unit = new float[vector.Length];
        for (var i = 0; i < unit.Length; i++)
        {
            unit[i] = (float)(vector[i] / length);
        }
        return unit;
    }
}
