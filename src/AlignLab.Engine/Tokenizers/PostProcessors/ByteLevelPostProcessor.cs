namespace AlignLab.Engine.Tokenizers.PostProcessors;

/// <summary>Hugging Face "ByteLevel" post-processor: it only trims offsets, which this API does not return, so ids pass unchanged.</summary>
internal sealed class ByteLevelPostProcessor : IPostProcessor
{
    public void Process(List<int> ids)
    {
    }
}
