namespace AlignLab.Engine.Tokenizers.PostProcessors;

internal sealed class SequencePostProcessor(IReadOnlyList<IPostProcessor> steps) : IPostProcessor
{
    public void Process(List<int> ids)
    {
        foreach (var step in steps)
        {
            step.Process(ids);
        }
    }
}
