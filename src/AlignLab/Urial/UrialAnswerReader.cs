using System.Text;
using AlignLab.AnswerSets;
using AlignLab.Engine.Generation;

namespace AlignLab.Urial;

/// <summary>
/// Reads a base model's answer from its text as it streams in, piece by piece (each piece one token's text),
/// and says when it is over: at the next <c># Query</c> or <c># User</c>, wherever they fall in the text
/// (the engine's <see cref="StopStringMatcher"/>, so a stop split across tokens is found), or — in a fenced
/// frame — at the fence that closes the answer block (<see cref="AnswerFence"/>, decided line by line once a
/// line is complete, so a fence split across tokens is found too). The stop text is not kept.
/// </summary>
public sealed class UrialAnswerReader : IAnswerReader
{
    /// <summary>The texts that begin the next turn and so end the answer, whatever the frame.</summary>
    public static IReadOnlyList<string> StopTexts { get; } = ["# Query", "# User"];

    private readonly StopStringMatcher _stops = new(StopTexts);
    private readonly AnswerFence? _fence;
    private readonly StringBuilder _answer = new();
    private string _line = "";

    public UrialAnswerReader(UrialFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        _fence = frame.Fenced ? new AnswerFence() : null;
    }

    /// <summary>Whether a stop has been reached; the answer is then complete.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds the next piece of text; true when the answer has reached a stop (push nothing more).</summary>
    public bool Push(string piece)
    {
        ArgumentNullException.ThrowIfNull(piece);
        if (Stopped)
        {
            throw new InvalidOperationException("the answer has already stopped");
        }
        var stoppedByText = _stops.Push(piece, out var released);
        Take(released, lastPiece: stoppedByText);
        Stopped |= stoppedByText;
        return Stopped;
    }

    /// <summary>
    /// The answer, raw (before clean-up), once the text is over: after a stop, or at the end of the stream,
    /// when the text held back because it might have begun a stop is released (and checked for a closing fence).
    /// </summary>
    public string Finish()
    {
        if (!Stopped)
        {
            Take(_stops.Release(), lastPiece: true);
        }
        return _answer.ToString();
    }

    /// <summary>Decides the complete lines of <paramref name="text"/>; the last, unfinished one waits for more unless this is the last piece.</summary>
    private void Take(string text, bool lastPiece)
    {
        _line += text;
        int newline;
        while (!Stopped && (newline = _line.IndexOf('\n', StringComparison.Ordinal)) >= 0)
        {
            var line = _line[..(newline + 1)];
            _line = _line[(newline + 1)..];
            Keep(line);
        }
        if (lastPiece && !Stopped)
        {
            Keep(_line);
        }
        if (lastPiece || Stopped)
        {
            _line = "";
        }
    }

    private void Keep(string line)
    {
        var fence = _fence?.ClosingFenceIn(line) ?? -1;
        if (fence < 0)
        {
            _answer.Append(line);
            return;
        }
        _answer.Append(line.AsSpan(0, fence));
        Stopped = true;
    }
}
