namespace AlignLab.Engine.Models;

/// <summary>
/// Which elements of a head vector RoPE rotates together. The Q and K projection rows are stored in
/// the order their RoPE expects, so a file's layout decides how its Q/K weights must be read.
/// </summary>
public enum RopeLayout
{
    /// <summary>Pairs (2i, 2i+1): llama.cpp's "NORM" RoPE, used by GGUF <c>llama</c> files.</summary>
    AdjacentPairs,

    /// <summary>Pairs (i, i + d/2): Hugging Face's <c>rotate_half</c>, and llama.cpp's "NEOX" RoPE.</summary>
    HalfRotation,
}
