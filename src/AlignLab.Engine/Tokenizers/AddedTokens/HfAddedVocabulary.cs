using System.Buffers;
using AlignLab.Engine.Tokenizers.Normalizers;

namespace AlignLab.Engine.Tokenizers.AddedTokens;

/// <summary>
/// Hugging Face's AddedVocabulary: tokens with normalized=false are found in the raw text, the text
/// between them is normalized, then tokens with normalized=true are found in that normalized text.
/// Matching is leftmost-longest (as the aho-corasick automaton there), honouring single_word, lstrip
/// and rstrip. With parse-special off, special tokens are not matched (encode_special_tokens).
/// </summary>
internal sealed class HfAddedVocabulary : ISegmenter
{
    private readonly INormalizer? _normalizer;
    private readonly Matcher _raw;
    private readonly Matcher _normalized;

    public HfAddedVocabulary(IReadOnlyList<AddedToken> tokens, INormalizer? normalizer)
    {
        _normalizer = normalizer;
        var raw = new List<(string, AddedToken)>();
        var normalized = new List<(string, AddedToken)>();
        foreach (var t in tokens)
        {
            if (t.Content.Length == 0)
            {
                continue;
            }
            if (t.Normalized && normalizer is not null)
            {
                var content = normalizer.Normalize(t.Content);
                if (content.Length > 0)
                {
                    normalized.Add((content, t));
                }
            }
            else
            {
                raw.Add((t.Content, t));
            }
        }
        _raw = new Matcher(raw);
        _normalized = new Matcher(normalized);
    }

    public void Segment(string text, bool parseSpecial, List<TextSegment> output)
    {
        var rawParts = new List<(int Start, int End, int Id)>();
        _raw.Split(text, parseSpecial, rawParts);
        foreach (var (start, end, id) in rawParts)
        {
            if (id >= 0)
            {
                output.Add(TextSegment.Token(id));
                continue;
            }
            var piece = text[start..end];
            if (_normalizer is null)
            {
                output.Add(new TextSegment(piece, -1, start == 0));
                continue;
            }
            var normalized = _normalizer.Normalize(piece);
            var parts = new List<(int Start, int End, int Id)>();
            _normalized.Split(normalized, parseSpecial, parts);
            foreach (var (s, e, nid) in parts)
            {
                output.Add(nid >= 0 ? TextSegment.Token(nid) : new TextSegment(normalized[s..e], -1, start == 0 && s == 0));
            }
        }
    }

    private sealed class Matcher
    {
        private readonly Dictionary<char, (string Content, AddedToken Token)[]> _byFirstChar = [];
        private readonly SearchValues<char> _firstChars;

        public Matcher(List<(string Content, AddedToken Token)> tokens)
        {
            foreach (var group in tokens.GroupBy(t => t.Content[0]))
            {
                // Longest first: the first candidate that matches at a position is the longest one.
                _byFirstChar[group.Key] = [.. group.OrderByDescending(t => t.Content.Length)];
            }
            _firstChars = SearchValues.Create([.. _byFirstChar.Keys]);
        }

        /// <summary>Covers text with (start, end, id) parts; id = -1 for plain text.</summary>
        public void Split(string text, bool parseSpecial, List<(int Start, int End, int Id)> parts)
        {
            var startOffset = 0;
            var pos = 0;
            while (pos < text.Length)
            {
                var next = text.AsSpan(pos).IndexOfAny(_firstChars);
                if (next < 0)
                {
                    break;
                }
                pos += next;
                var match = Longest(text, pos, parseSpecial);
                if (match is null)
                {
                    pos++;
                    continue;
                }
                var (content, token) = match.Value;
                var start = pos;
                var stop = pos + content.Length;
                if (token.SingleWord && !IsSingleWord(text, start, stop))
                {
                    pos++;
                    continue;
                }
                if (token.LStrip)
                {
                    var s = start;
                    while (s > startOffset && char.IsWhiteSpace(text[s - 1]))
                    {
                        s--;
                    }
                    start = s;
                }
                if (token.RStrip)
                {
                    while (stop < text.Length && char.IsWhiteSpace(text[stop]))
                    {
                        stop++;
                    }
                }
                if (startOffset < start)
                {
                    parts.Add((startOffset, start, -1));
                }
                parts.Add((start, stop, token.Id));
                startOffset = stop;
                pos = stop;
            }
            if (startOffset < text.Length || parts.Count == 0)
            {
                parts.Add((startOffset, text.Length, -1));
            }
        }

        private (string Content, AddedToken Token)? Longest(string text, int pos, bool parseSpecial)
        {
            foreach (var candidate in _byFirstChar[text[pos]])
            {
                if ((parseSpecial || !candidate.Token.Special) && text.AsSpan(pos).StartsWith(candidate.Content, StringComparison.Ordinal))
                {
                    return candidate;
                }
            }
            return null;
        }

        private static bool IsSingleWord(string text, int start, int stop)
            => (start == 0 || !IsWordChar(text[start - 1])) && (stop == text.Length || !IsWordChar(text[stop]));

        private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_' || char.GetUnicodeCategory(c) is
            System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark
            or System.Globalization.UnicodeCategory.ConnectorPunctuation;
    }
}
