using System.Globalization;
using AlignLab.Engine.Inference;

namespace AlignLab.Embeddings;

/// <summary>L2 normalisation and the cosine of unit vectors.</summary>
public static class UnitVector
{
    /// <summary><paramref name="vector"/> divided by its Euclidean length; a zero or non-finite vector has no direction and is refused.</summary>
    public static float[] Normalize(ReadOnlySpan<float> vector) => L2Normalization.Normalize(vector);

    /// <summary>The dot product, which for two unit vectors is their cosine.</summary>
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"vectors of {a.Length} and {b.Length} dimensions"), nameof(b));
        }
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }
        return sum;
    }
}
