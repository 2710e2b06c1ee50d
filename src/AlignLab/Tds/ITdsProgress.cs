namespace AlignLab.Tds;

/// <summary>What a TDS run reports as it goes (the CLI draws a progress bar from it).</summary>
public interface ITdsProgress
{
    /// <summary>Work on one aligned model begins: <paramref name="examples"/> selected, <paramref name="alreadyDone"/> of them finished by an earlier run.</summary>
    void ModelStarted(string name, int examples, int alreadyDone);

    /// <summary>One example finished (<paramref name="answerTokens"/> = 0 when it was skipped).</summary>
    void ExampleDone(int answerTokens);

    void ModelFinished(string name);

    /// <summary>A line worth showing (warnings about skipped records, say).</summary>
    void Message(string text);
}
