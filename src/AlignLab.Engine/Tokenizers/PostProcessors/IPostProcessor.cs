namespace AlignLab.Engine.Tokenizers.PostProcessors;

/// <summary>Adds special tokens around an encoded single sequence (only when asked to add special tokens).</summary>
internal interface IPostProcessor
{
    void Process(List<int> ids);
}
