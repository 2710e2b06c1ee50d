using AlignLab.Engine.Tokenizers.Normalizers;

namespace AlignLab.Engine.Tokenizers.AddedTokens;

/// <summary>
/// llama.cpp's tokenizer_st_partition: special tokens are taken longest first, and each one cuts every
/// remaining text fragment at all of its occurrences (not a single leftmost-longest scan). lstrip /
/// rstrip eat ASCII whitespace (C isspace) next to the token. Text fragments are then normalized.
/// </summary>
internal sealed class LlamaSegmenter : ISegmenter
{
    private readonly LlamaSpecialToken[] _tokens;
    private readonly INormalizer? _normalizer;

    public LlamaSegmenter(IEnumerable<LlamaSpecialToken> tokens, INormalizer? normalizer)
    {
        // Stable: equal lengths keep id order (llama.cpp's std::sort leaves ties unspecified).
        _tokens = [.. tokens.Where(t => t.Text.Length > 0).OrderByDescending(t => t.Text.Length).ThenBy(t => t.Id)];
        _normalizer = normalizer;
    }

    public void Segment(string text, bool parseSpecial, List<TextSegment> output)
    {
        // Fragments: (start, length, id) with id = -1 for text.
        var fragments = new LinkedList<(int Start, int Length, int Id)>();
        if (text.Length > 0)
        {
            fragments.AddFirst((0, text.Length, -1));
        }
        foreach (var token in _tokens)
        {
            if (token.OnlyWithParseSpecial && !parseSpecial)
            {
                continue;
            }
            for (var node = fragments.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Id < 0)
                {
                    CutAll(fragments, node, text, token);
                }
                node = next;
            }
        }
        foreach (var (start, length, id) in fragments)
        {
            if (id >= 0)
            {
                output.Add(TextSegment.Token(id));
                continue;
            }
            var fragment = text.Substring(start, length);
            output.Add(new TextSegment(_normalizer is null ? fragment : _normalizer.Normalize(fragment), -1, start == 0));
        }
    }

    private static void CutAll(LinkedList<(int Start, int Length, int Id)> fragments, LinkedListNode<(int Start, int Length, int Id)> node, string text, LlamaSpecialToken token)
    {
        var (start, length, _) = node.Value;
        var end = start + length;
        var found = text.AsSpan(start, length).IndexOf(token.Text, StringComparison.Ordinal);
        if (found < 0)
        {
            return;
        }
        while (found >= 0)
        {
            var match = start + found;
            var leftLength = match - start;
            if (token.LStrip)
            {
                while (leftLength > 0 && IsCSpace(text[start + leftLength - 1]))
                {
                    leftLength--;
                }
            }
            if (leftLength > 0)
            {
                fragments.AddBefore(node, (start, leftLength, -1));
            }
            fragments.AddBefore(node, (match, token.Text.Length, token.Id));
            start = match + token.Text.Length;
            if (token.RStrip)
            {
                while (start < end && IsCSpace(text[start]))
                {
                    start++;
                }
            }
            found = start < end ? text.AsSpan(start, end - start).IndexOf(token.Text, StringComparison.Ordinal) : -1;
        }
        if (start < end)
        {
            fragments.AddBefore(node, (start, end - start, -1));
        }
        fragments.Remove(node);
    }

    private static bool IsCSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
}
