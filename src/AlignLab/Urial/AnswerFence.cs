namespace AlignLab.Urial;

/// <summary>
/// Finds the fence that closes a fenced answer block, one line of the answer at a time. The answer may hold
/// code blocks of its own: a line <c>```LANG</c> (an info string of one word) opens one and the next line of
/// only backticks closes it; inside one, nothing ends the answer. Outside, the first ``` ends it — a line of
/// only backticks, or ``` at the end of a line of text, as in the published files' inline fences. A bare
/// ``` that was meant to open an unlabelled code block is indistinguishable from the closing fence and
/// ends the answer too; URIAL's frame leaves no way to tell them apart.
/// </summary>
internal sealed class AnswerFence
{
    private bool _insideCode;

    /// <summary>Where the closing fence starts in <paramref name="line"/> (a whole line), or -1 when the answer goes on.</summary>
    public int ClosingFenceIn(string line)
    {
        var trimmed = line.AsSpan().Trim();
        if (_insideCode)
        {
            _insideCode = !IsBareFence(trimmed);
            return -1;
        }
        if (trimmed.StartsWith(UrialFrame.Fence, StringComparison.Ordinal) && IsInfoString(trimmed.TrimStart('`')))
        {
            _insideCode = true;
            return -1;
        }
        return line.IndexOf(UrialFrame.Fence, StringComparison.Ordinal);
    }

    private static bool IsBareFence(ReadOnlySpan<char> line) => line.Length >= UrialFrame.Fence.Length && line.TrimStart('`').IsEmpty;

    private static bool IsInfoString(ReadOnlySpan<char> rest)
    {
        var word = rest.Trim();
        if (word.IsEmpty)
        {
            return false;
        }
        foreach (var c in word)
        {
            if (char.IsWhiteSpace(c) || c == '`')
            {
                return false;
            }
        }
        return true;
    }
}
