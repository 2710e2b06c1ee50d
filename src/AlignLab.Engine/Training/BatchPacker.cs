using AlignLab.Engine.Generation;

namespace AlignLab.Engine.Training;

/// <summary>
/// Turns documents into the rows of every step, as a pure function of (seed, step), so a resumed run
/// sees exactly the batches an uninterrupted one would. A document longer than a row is cut into
/// pieces of T tokens that overlap by one, so every target is still predicted once; pieces with no
/// target are dropped. Each epoch shuffles the pieces (seeded by the run's seed and the epoch) and
/// packs them best-fit into rows: a piece goes to the open row with the least room it fits in, or opens
/// a new row; what is left of a row is padding. Step s takes rows s·B … s·B + B − 1 of the endless
/// sequence of epochs.
/// </summary>
internal sealed class BatchPacker
{
    private readonly IReadOnlyList<TrainingSequence> _sequences;
    private readonly List<Piece> _pieces = [];
    private readonly ulong _seed;
    private List<List<int>> _epochRows = [];
    private int _epoch = -1;
    private long _epochStart;

    private readonly record struct Piece(int Sequence, int Start, int Count);

    public BatchPacker(IReadOnlyList<TrainingSequence> sequences, int rows, int length, ulong seed)
    {
        _sequences = sequences;
        Rows = rows;
        Length = length;
        _seed = seed;
        for (var s = 0; s < sequences.Count; s++)
        {
            var sequence = sequences[s];
            for (var start = 0; start < sequence.Length - 1; start += length - 1)
            {
                var count = Math.Min(length, sequence.Length - start);
                if (HasTarget(sequence, start, count))
                {
                    _pieces.Add(new Piece(s, start, count));
                }
            }
        }
        if (_pieces.Count == 0)
        {
            throw new ArgumentException("the training data holds no token to predict (every document is shorter than 2 tokens or has no target)", nameof(sequences));
        }
    }

    /// <summary>B</summary>
    public int Rows { get; }

    /// <summary>T</summary>
    public int Length { get; }

    /// <summary>Fills <paramref name="batch"/> with the rows of step <paramref name="step"/>.</summary>
    public void Fill(int step, TrainingBatch batch)
    {
        batch.Clear();
        for (var r = 0; r < Rows; r++)
        {
            var slot = 0;
            foreach (var index in RowAt((long)step * Rows + r))
            {
                var piece = _pieces[index];
                batch.Place(r, slot, _sequences[piece.Sequence], piece.Start, piece.Count);
                slot += piece.Count;
            }
        }
    }

    /// <summary>The epoch that global row <paramref name="row"/> falls in.</summary>
    public int EpochOf(long row)
    {
        RowAt(row);
        return _epoch;
    }

    private static bool HasTarget(TrainingSequence sequence, int start, int count)
    {
        for (var j = 1; j < count; j++)
        {
            if (sequence.IsTarget(start + j))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The pieces of global row <paramref name="row"/>, packing epochs as far as needed.</summary>
    private List<int> RowAt(long row)
    {
        if (row < _epochStart || _epoch < 0)
        {
            (_epoch, _epochStart) = (0, 0);
            _epochRows = Pack(0);
        }
        while (row >= _epochStart + _epochRows.Count)
        {
            _epochStart += _epochRows.Count;
            _epoch++;
            _epochRows = Pack(_epoch);
        }
        return _epochRows[(int)(row - _epochStart)];
    }

    private List<List<int>> Pack(int epoch)
    {
        var order = new int[_pieces.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        var random = new SamplingRandom(_seed ^ (0x9E3779B97F4A7C15UL * (ulong)(epoch + 1)));
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)(random.NextUInt64() % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        // open[room] = the rows with exactly that many free slots, most recently touched last.
        var rows = new List<List<int>>();
        var used = new List<int>();
        var open = new List<int>[Length + 1];
        for (var room = 0; room <= Length; room++)
        {
            open[room] = [];
        }
        foreach (var index in order)
        {
            var count = _pieces[index].Count;
            var row = -1;
            for (var room = count; room <= Length && row < 0; room++)
            {
                if (open[room].Count > 0)
                {
                    row = open[room][^1];
                    open[room].RemoveAt(open[room].Count - 1);
                }
            }
            if (row < 0)
            {
                row = rows.Count;
                rows.Add([]);
                used.Add(0);
            }
            rows[row].Add(index);
            used[row] += count;
            open[Length - used[row]].Add(row);
        }
        return rows;
    }
}
