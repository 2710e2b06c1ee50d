using System.Text;

namespace AlignLab.Engine.Tokenizers;

/// <summary>
/// Decodes a token stream incrementally. A character split across tokens (an emoji as four
/// byte-fallback tokens, a CJK character over two byte-level tokens) is held back until its last
/// byte arrives, so every returned string is whole UTF-8 characters; <see cref="Flush"/> returns
/// whatever is left (an incomplete tail as U+FFFD).
/// </summary>
public sealed class StreamingDecoder
{
    private readonly Tokenizer _tokenizer;
    private readonly bool _skipSpecial;
    private readonly List<byte> _pending = [];
    private bool _started;

    internal StreamingDecoder(Tokenizer tokenizer, bool skipSpecial)
    {
        _tokenizer = tokenizer;
        _skipSpecial = skipSpecial;
    }

    /// <summary>Adds one token; returns the text that became complete (possibly empty).</summary>
    public string Push(int id)
    {
        _tokenizer.AppendDecoded([id], _skipSpecial, sequenceStart: !_started, _pending);
        _started = true;
        var complete = CompletePrefixLength(_pending);
        if (complete == 0)
        {
            return "";
        }
        var text = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending)[..complete]);
        _pending.RemoveRange(0, complete);
        return text;
    }

    /// <summary>Returns the held-back bytes (invalid or incomplete sequences as U+FFFD) and resets.</summary>
    public string Flush()
    {
        var text = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending));
        _pending.Clear();
        return text;
    }

    /// <summary>Length of the longest prefix that does not end inside a UTF-8 sequence.</summary>
    internal static int CompletePrefixLength(List<byte> bytes)
    {
        var n = bytes.Count;
        // A sequence is at most 4 bytes: look back at most 3 continuation bytes for its lead byte.
        for (var back = 1; back <= Math.Min(4, n); back++)
        {
            var b = bytes[n - back];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }
            var needed = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
            return back >= needed ? n : n - back;
        }
        // Only continuation bytes at the end: invalid either way, nothing will complete them.
        return n;
    }
}
