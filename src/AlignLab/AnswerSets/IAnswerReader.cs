namespace AlignLab.AnswerSets;

/// <summary>Reads one answer from the model's text as it streams in and says where it ends.</summary>
public interface IAnswerReader
{
    /// <summary>Whether the answer has ended at a stop of the reader's.</summary>
    bool Stopped { get; }

    /// <summary>Adds the text of the next token; true when the answer has ended (push nothing more).</summary>
    bool Push(string piece);

    /// <summary>Once the text is over (a stop, or the end of generation): the answer, before clean-up.</summary>
    string Finish();
}
