namespace AlignLab.Engine.Tokenizers.PreTokenizers;

/// <summary>Runs pre-tokenizers one after the other, each on every piece the previous one produced.</summary>
internal sealed class SequencePreTokenizer(IReadOnlyList<IPreTokenizer> steps) : IPreTokenizer
{
    public void PreTokenize(Piece piece, List<Piece> output)
    {
        List<Piece> current = [piece];
        var next = new List<Piece>();
        foreach (var step in steps)
        {
            next.Clear();
            foreach (var p in current)
            {
                step.PreTokenize(p, next);
            }
            (current, next) = (next, current);
        }
        output.AddRange(current);
    }
}
