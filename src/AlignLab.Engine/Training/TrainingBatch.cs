namespace AlignLab.Engine.Training;

/// <summary>
/// One step's input: B rows of T token slots (N = B·T), each row holding whole segments (documents or
/// pieces of them) and padding. Allocated once and refilled every step.
/// </summary>
internal sealed class TrainingBatch
{
    public TrainingBatch(int rows, int length)
    {
        Rows = rows;
        Length = length;
        var n = rows * length;
        Tokens = new int[n];
        Targets = new int[n];
        Weights = new float[n];
        Positions = new int[n];
        SegmentStarts = new int[n];
    }

    /// <summary>B</summary>
    public int Rows { get; }

    /// <summary>T</summary>
    public int Length { get; }

    public int Count => Rows * Length;

    /// <summary>[N] input ids (padding holds 0).</summary>
    public int[] Tokens { get; }

    /// <summary>[N] the id to predict at each slot, or −1 where there is none.</summary>
    public int[] Targets { get; }

    /// <summary>[N] 1 where the slot's prediction counts in the loss, else 0.</summary>
    public float[] Weights { get; }

    /// <summary>[N] each token's position in its segment (RoPE).</summary>
    public int[] Positions { get; }

    /// <summary>[N] the index, within its row, of the first slot of each token's segment (the attention mask).</summary>
    public int[] SegmentStarts { get; }

    /// <summary>Slots holding a token of a segment (not padding).</summary>
    public int TokenCount { get; private set; }

    /// <summary>Marks every slot as padding.</summary>
    public void Clear()
    {
        Array.Clear(Tokens);
        Array.Fill(Targets, -1);
        Array.Clear(Weights);
        Array.Clear(Positions);
        for (var i = 0; i < SegmentStarts.Length; i++)
        {
            SegmentStarts[i] = i % Length;
        }
        TokenCount = 0;
    }

    /// <summary>
    /// Puts tokens [start, start + count) of <paramref name="sequence"/> at slot <paramref name="slot"/> of row
    /// <paramref name="row"/> as one segment: positions from 0, each token predicting the next one of the piece.
    /// </summary>
    public void Place(int row, int slot, TrainingSequence sequence, int start, int count)
    {
        if (slot + count > Length)
        {
            throw new ArgumentException($"a segment of {count} tokens does not fit at slot {slot} of a row of {Length}");
        }
        var first = row * Length + slot;
        for (var j = 0; j < count; j++)
        {
            var p = first + j;
            Tokens[p] = sequence.Tokens[start + j];
            Positions[p] = j;
            SegmentStarts[p] = slot;
            var next = start + j + 1;
            var hasNext = j + 1 < count;
            Targets[p] = hasNext ? sequence.Tokens[next] : -1;
            Weights[p] = hasNext && sequence.IsTarget(next) ? 1f : 0f;
        }
        TokenCount += count;
    }
}
