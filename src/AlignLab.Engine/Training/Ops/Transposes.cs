namespace AlignLab.Engine.Training;

/// <summary>
/// Out-of-place matrix transpose in cache-sized tiles. The backward products need operands transposed
/// to reuse the engine's dot-product-form GEMM (<see cref="Kernels.MatMul.Multiply"/>); a transpose
/// moves each value once, against the product's many multiply-adds per value.
/// </summary>
internal static class Transposes
{
    private const int Tile = 32;

    /// <summary>destination [columns, rows] = source [rows, columns]ᵀ, on the team's threads.</summary>
    public static void Transpose(ParallelTeam team, ReadOnlySpan<float> source, int rows, int columns, Span<float> destination)
    {
        var length = checked(rows * columns);
        if (source.Length < length || destination.Length < length)
        {
            throw new ArgumentException($"a [{rows}, {columns}] transpose needs {length} values in and out");
        }
        unsafe
        {
            fixed (float* s = source, d = destination)
            {
                team.Run(new Work(s, d, rows, columns));
            }
        }
    }

    /// <summary>The same on the calling thread alone.</summary>
    public static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination)
    {
        for (var r0 = 0; r0 < rows; r0 += Tile)
        {
            TileRows(source, rows, columns, destination, r0);
        }
    }

    private static void TileRows(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination, int r0)
    {
        var r1 = Math.Min(r0 + Tile, rows);
        for (var c0 = 0; c0 < columns; c0 += Tile)
        {
            var c1 = Math.Min(c0 + Tile, columns);
            for (var r = r0; r < r1; r++)
            {
                for (var c = c0; c < c1; c++)
                {
                    destination[c * rows + r] = source[r * columns + c];
                }
            }
        }
    }

    private readonly unsafe struct Work(float* source, float* destination, int rows, int columns) : IParallelWork
    {
        public void Execute(int index, int count)
        {
            var tiles = (rows + Tile - 1) / Tile;
            var (first, end) = ParallelTeam.Share(tiles, index, count);
            var length = rows * columns;
            var s = new ReadOnlySpan<float>(source, length);
            var d = new Span<float>(destination, length);
            for (var t = first; t < end; t++)
            {
                TileRows(s, rows, columns, d, t * Tile);
            }
        }
    }
}
