namespace AlignLab.Urial;

/// <summary>How a generated answer ended.</summary>
public enum AnswerEnd
{
    /// <summary>At a stop: the next query's header or the answer block's closing fence (neither is kept).</summary>
    Stop,

    /// <summary>The model ended the text (an end-of-generation token).</summary>
    EndOfText,

    /// <summary>Cut off by the token limit or the end of the context: the answer may be unfinished.</summary>
    Truncated,
}
