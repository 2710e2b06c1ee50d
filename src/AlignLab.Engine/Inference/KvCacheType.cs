namespace AlignLab.Engine.Inference;

/// <summary>How the key/value cache stores its entries.</summary>
public enum KvCacheType
{
    /// <summary>Single precision: exact, twice the memory of <see cref="F16"/>.</summary>
    F32,

    /// <summary>Half precision, as llama.cpp stores it by default.</summary>
    F16,
}
