namespace AlignLab.Engine.Models;

/// <summary>
/// Reorders the rows of a Q or K projection (or its bias) between the two RoPE layouts. Within each
/// head of width d, HF's half rotation pairs rows (j, j + d/2); llama.cpp's converter
/// (<c>convert_hf_to_gguf.py</c>, <c>LlamaModel.permute</c>) moves them to (2j, 2j + 1) so ggml's
/// NORM RoPE rotates the same pairs: adjacent row 2j + s holds half-layout row s·d/2 + j. K is grouped
/// by its own (key/value) head count, which the row count already implies. Rows are moved as whole
/// byte ranges, so this works for any element type, quantized rows included.
/// </summary>
public static class RopePermutation
{
    /// <summary>The row of the <paramref name="from"/>-layout tensor that lands at <paramref name="row"/> in the <paramref name="to"/> layout.</summary>
    public static int SourceRow(int row, int headDim, RopeLayout from, RopeLayout to)
    {
        if (from == to)
        {
            return row;
        }
        var half = headDim / 2;
        var head = row / headDim * headDim;
        var within = row % headDim;
        return to == RopeLayout.AdjacentPairs
            ? head + (within % 2 * half) + (within / 2)   // adjacent 2j+s <- half s·d/2+j
            : head + (within % half * 2) + (within / half); // half s·d/2+j <- adjacent 2j+s
    }

    /// <summary>
    /// Copies <paramref name="source"/> (rows × <paramref name="rowBytes"/>, in <paramref name="from"/>
    /// layout) into <paramref name="destination"/> in <paramref name="to"/> layout.
    /// </summary>
    public static void PermuteRows(ReadOnlySpan<byte> source, Span<byte> destination, int rowBytes, int headDim, RopeLayout from, RopeLayout to)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowBytes);
        if (headDim <= 0 || headDim % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(headDim), headDim, "head dimension must be positive and even");
        }
        if (source.Length != destination.Length || source.Length % rowBytes != 0 || source.Length / rowBytes % headDim != 0)
        {
            throw new ArgumentException($"{source.Length} bytes are not whole heads of {headDim} rows of {rowBytes} bytes", nameof(source));
        }
        if (source.Overlaps(destination))
        {
            throw new ArgumentException("source and destination overlap", nameof(destination));
        }
        var rows = source.Length / rowBytes;
        for (var row = 0; row < rows; row++)
        {
            source.Slice(SourceRow(row, headDim, from, to) * rowBytes, rowBytes).CopyTo(destination.Slice(row * rowBytes, rowBytes));
        }
    }
}
