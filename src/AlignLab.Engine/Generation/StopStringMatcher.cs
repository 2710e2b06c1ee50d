namespace AlignLab.Engine.Generation;

/// <summary>
/// Finds stop strings in streamed text, across token boundaries. Text is released as soon as it can no
/// longer be the start of a stop string; a suffix that could still become one is held back. When a stop
/// string completes, the text before it is released and the stop string itself never is. Generation uses
/// it for <see cref="GenerationOptions.StopStrings"/>; it is public for callers that read streamed text
/// with stop rules of their own (URIAL's answer reader).
/// </summary>
public sealed class StopStringMatcher
{
    private readonly string[] _stops;
    private readonly int _longest;
    private string _held = "";

    public StopStringMatcher(IReadOnlyList<string> stops)
    {
        _stops = [.. stops];
        if (_stops.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("a stop string is empty", nameof(stops));
        }
        _longest = _stops.Length == 0 ? 0 : _stops.Max(s => s.Length);
    }

    /// <summary>The text held back because it could still begin a stop string.</summary>
    public string Held => _held;

    /// <summary>
    /// Adds <paramref name="piece"/>. Returns true when a stop string is now complete: <paramref name="release"/>
    /// is then the text before the earliest one, and nothing more will be released. Otherwise
    /// <paramref name="release"/> is the text that can no longer be part of a stop string.
    /// </summary>
    public bool Push(string piece, out string release)
    {
        if (_stops.Length == 0)
        {
            release = piece;
            return false;
        }
        if (piece.Length == 0)
        {
            release = "";
            return false;
        }
        var text = _held.Length == 0 ? piece : _held + piece;
        var first = -1;
        foreach (var stop in _stops)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }
        if (first >= 0)
        {
            release = text[..first];
            _held = "";
            return true;
        }
        var hold = HeldSuffix(text);
        release = text[..^hold];
        _held = text[^hold..];
        return false;
    }

    /// <summary>At the end of generation: the held text, released.</summary>
    public string Release()
    {
        var text = _held;
        _held = "";
        return text;
    }

    /// <summary>The length of the longest suffix of <paramref name="text"/> that is a proper prefix of a stop string.</summary>
    private int HeldSuffix(string text)
    {
        for (var k = Math.Min(text.Length, _longest - 1); k > 0; k--)
        {
            var suffix = text.AsSpan(text.Length - k);
            foreach (var stop in _stops)
            {
                if (stop.Length > k && suffix.SequenceEqual(stop.AsSpan(0, k)))
                {
                    return k;
                }
            }
        }
        return 0;
    }
}
