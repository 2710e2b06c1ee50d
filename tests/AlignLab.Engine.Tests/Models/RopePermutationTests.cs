using AlignLab.Engine.Models;

namespace AlignLab.Engine.Tests.Models;

public class RopePermutationTests
{
    [Theory]
    [InlineData(4, 8, 3)]
    [InlineData(2, 64, 1)]
    [InlineData(9, 64, 5)]
    public void Half_to_adjacent_matches_the_converter_and_the_inverse_undoes_it(int heads, int headDim, int cols)
    {
        var config = TinyModel.Llama() with { HeadCount = heads, KvHeadCount = heads, HeadDim = headDim };
        var rows = heads * headDim;
        var w = Enumerable.Range(0, rows * cols).Select(i => (float)i).ToArray();
        var expected = new TinyModel(config).ConverterPermute(w, [rows, cols], RopeRows.QueryHeads);

        var adjacent = Permute(w, cols, headDim, RopeLayout.HalfRotation, RopeLayout.AdjacentPairs);
        Assert.Equal(expected, adjacent);
        Assert.Equal(w, Permute(adjacent, cols, headDim, RopeLayout.AdjacentPairs, RopeLayout.HalfRotation));
        Assert.Equal(w, Permute(w, cols, headDim, RopeLayout.HalfRotation, RopeLayout.HalfRotation));
    }

    [Fact]
    public void Source_row_spells_out_the_pairing_within_a_head()
    {
        // Head width 8: adjacent rows (0,1),(2,3),(4,5),(6,7) hold half rows (0,4),(1,5),(2,6),(3,7).
        int[] expected = [0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15];
        Assert.Equal(expected, Enumerable.Range(0, 16).Select(r => RopePermutation.SourceRow(r, 8, RopeLayout.HalfRotation, RopeLayout.AdjacentPairs)));
    }

    [Fact]
    public void Rejects_partial_heads_and_odd_head_dims()
    {
        Assert.Throws<ArgumentException>(() => RopePermutation.PermuteRows(new byte[12], new byte[12], 4, 2, RopeLayout.HalfRotation, RopeLayout.AdjacentPairs));
        Assert.Throws<ArgumentOutOfRangeException>(() => RopePermutation.PermuteRows(new byte[12], new byte[12], 4, 3, RopeLayout.HalfRotation, RopeLayout.AdjacentPairs));
    }

    private static float[] Permute(float[] w, int cols, int headDim, RopeLayout from, RopeLayout to)
    {
        var source = System.Runtime.InteropServices.MemoryMarshal.AsBytes(w.AsSpan());
        var result = new float[w.Length];
        RopePermutation.PermuteRows(source, System.Runtime.InteropServices.MemoryMarshal.AsBytes(result.AsSpan()), cols * sizeof(float), headDim, from, to);
        return result;
    }
}
