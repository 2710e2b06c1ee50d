using AlignLab.Embeddings;

namespace AlignLab.Tests.Embeddings;

public class UnitVectorTests
{
    [Fact]
    public void A_vector_is_divided_by_its_length()
    {
        // |(3, 0, -4)| = 5.
        Assert.Equal([0.6f, 0f, -0.8f], UnitVector.Normalize([3f, 0f, -4f]));
    }

    [Fact]
    public void The_dot_product_of_unit_vectors_is_their_cosine()
    {
        // (1, 0) and (1, 1)/√2 are 45° apart.
        Assert.Equal(Math.Sqrt(0.5), UnitVector.Dot(UnitVector.Normalize([2f, 0f]), UnitVector.Normalize([1f, 1f])), 1e-7);
    }

    [Fact]
    public void A_zero_or_infinite_vector_has_no_direction()
    {
        Assert.StartsWith("a vector of length 0 cannot be normalised", Assert.Throws<ArgumentException>(() => UnitVector.Normalize([0f, 0f])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => UnitVector.Normalize([float.PositiveInfinity, 1f]));
        Assert.Throws<ArgumentException>(() => UnitVector.Dot([1f], [1f, 2f]));
    }
}
