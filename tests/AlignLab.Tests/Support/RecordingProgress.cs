using AlignLab.Tds;

namespace AlignLab.Tests.Support;

/// <summary>Keeps what a run reports.</summary>
public sealed class RecordingProgress : ITdsProgress
{
    public List<string> Messages { get; } = [];

    public List<(string Name, int Examples, int AlreadyDone)> Models { get; } = [];

    public List<int> Done { get; } = [];

    public void ModelStarted(string name, int examples, int alreadyDone) => Models.Add((name, examples, alreadyDone));

    public void ExampleDone(int answerTokens) => Done.Add(answerTokens);

    public void ModelFinished(string name)
    {
    }

    public void Message(string text) => Messages.Add(text);
}
