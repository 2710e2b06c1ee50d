namespace AlignLab.Engine.Tokenizers.PreTokenizers;

/// <summary>What happens to the delimiter when a piece is split (Hugging Face SplitDelimiterBehavior).</summary>
internal enum SplitBehavior
{
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}
