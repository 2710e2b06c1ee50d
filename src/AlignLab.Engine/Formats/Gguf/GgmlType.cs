namespace AlignLab.Engine.Formats.Gguf;

// The member names are llama.cpp's (GGML_TYPE_Q4_K -> Q4_K) so they can be matched against its
// sources and tools; the underscores are deliberate.
#pragma warning disable CA1707

/// <summary>
/// A tensor element type, numbered exactly as llama.cpp's <c>enum ggml_type</c>. The ids that
/// llama.cpp has retired are listed too so that a file using one can be named in the error.
/// See <see cref="GgmlTypeInfo"/> for block sizes.
/// </summary>
public enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q4_2 = 4, // removed from ggml
    Q4_3 = 5, // removed from ggml
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    Q4_0_4_4 = 31, // removed from GGUF files
    Q4_0_4_8 = 32, // removed from GGUF files
    Q4_0_8_8 = 33, // removed from GGUF files
    TQ1_0 = 34,
    TQ2_0 = 35,
    IQ4_NL_4_4 = 36, // removed from GGUF files
    IQ4_NL_4_8 = 37, // removed from GGUF files
    IQ4_NL_8_8 = 38, // removed from GGUF files
    MXFP4 = 39,
    NVFP4 = 40,
    Q1_0 = 41,
    Q2_0 = 42,
}
