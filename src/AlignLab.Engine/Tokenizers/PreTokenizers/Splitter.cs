namespace AlignLab.Engine.Tokenizers.PreTokenizers;

/// <summary>
/// Applies a <see cref="SplitBehavior"/> to a piece given its delimiter matches, with the same
/// folding rules as Hugging Face's NormalizedString::split. Shared by Split, Digits and Metaspace;
/// empty results are dropped.
/// </summary>
internal static class Splitter
{
    /// <summary>Cuts <c>piece</c> at <c>matches</c>: non-overlapping, ordered, non-empty (start, length) ranges relative to the piece.</summary>
    public static void Split(Piece piece, List<(int Start, int Length)> matches, SplitBehavior behavior, bool invert, List<Piece> output)
    {
        var text = piece.Text;
        // A full cover of the piece: (start, end, isMatch).
        var parts = new List<(int Start, int End, bool Match)>(matches.Count * 2 + 1);
        var prev = 0;
        foreach (var (start, length) in matches)
        {
            if (start > prev)
            {
                parts.Add((prev, start, invert));
            }
            parts.Add((start, start + length, !invert));
            prev = start + length;
        }
        if (prev < text.Length || parts.Count == 0)
        {
            parts.Add((prev, text.Length, invert));
        }

        var merged = new List<(int Start, int End)>(parts.Count);
        switch (behavior)
        {
            case SplitBehavior.Removed:
                foreach (var p in parts)
                {
                    if (!p.Match)
                    {
                        merged.Add((p.Start, p.End));
                    }
                }
                break;
            case SplitBehavior.Isolated:
                foreach (var p in parts)
                {
                    merged.Add((p.Start, p.End));
                }
                break;
            case SplitBehavior.MergedWithPrevious:
                {
                    var previousMatch = false;
                    foreach (var p in parts)
                    {
                        if (p.Match && !previousMatch && merged.Count > 0)
                        {
                            merged[^1] = (merged[^1].Start, p.End);
                        }
                        else
                        {
                            merged.Add((p.Start, p.End));
                        }
                        previousMatch = p.Match;
                    }
                    break;
                }
            case SplitBehavior.MergedWithNext:
                {
                    var nextMatch = false;
                    for (var k = parts.Count - 1; k >= 0; k--)
                    {
                        var p = parts[k];
                        if (p.Match && !nextMatch && merged.Count > 0)
                        {
                            merged[^1] = (p.Start, merged[^1].End);
                        }
                        else
                        {
                            merged.Add((p.Start, p.End));
                        }
                        nextMatch = p.Match;
                    }
                    merged.Reverse();
                    break;
                }
            case SplitBehavior.Contiguous:
                {
                    var previousMatch = false;
                    foreach (var p in parts)
                    {
                        if (p.Match == previousMatch && merged.Count > 0)
                        {
                            merged[^1] = (merged[^1].Start, p.End);
                        }
                        else
                        {
                            merged.Add((p.Start, p.End));
                        }
                        previousMatch = p.Match;
                    }
                    break;
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(behavior));
        }

        foreach (var (start, end) in merged)
        {
            if (end > start)
            {
                var sub = start == 0 && end == text.Length ? text : text[start..end];
                output.Add(new Piece(sub, piece.AtOrigin && start == 0));
            }
        }
    }
}
