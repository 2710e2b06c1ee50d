using System.Diagnostics.CodeAnalysis;

namespace AlignLab.Engine.Formats.Gguf;

/// <summary>
/// Storage facts about one <see cref="GgmlType"/>: elements are stored in blocks of
/// <see cref="BlockSize"/> values taking <see cref="BytesPerBlock"/> bytes (ggml's
/// <c>blck_size</c> and <c>type_size</c>). The values come from llama.cpp's <c>type_traits</c> table.
/// </summary>
public sealed class GgmlTypeInfo
{
    private const int QK = 32;   // elements per block of the legacy quants (QK4_0, QK8_0, ...)
    private const int QKK = 256; // elements per super-block of the K-quants and i-quants (QK_K)

    // One row per ggml type id; a BlockSize of 0 marks an id that llama.cpp has retired.
    private static readonly GgmlTypeInfo[] Table =
    [
        new(GgmlType.F32, "f32", 1, 4, isSupported: true),
        new(GgmlType.F16, "f16", 1, 2, isSupported: true),
        new(GgmlType.Q4_0, "q4_0", QK, 2 + QK / 2, isSupported: true),
        new(GgmlType.Q4_1, "q4_1", QK, 2 + 2 + QK / 2, isSupported: true),
        new(GgmlType.Q4_2, "q4_2", 0, 0, isSupported: false),
        new(GgmlType.Q4_3, "q4_3", 0, 0, isSupported: false),
        new(GgmlType.Q5_0, "q5_0", QK, 2 + 4 + QK / 2, isSupported: true),
        new(GgmlType.Q5_1, "q5_1", QK, 2 + 2 + 4 + QK / 2, isSupported: true),
        new(GgmlType.Q8_0, "q8_0", QK, 2 + QK, isSupported: true),
        new(GgmlType.Q8_1, "q8_1", QK, 2 + 2 + QK, isSupported: false),
        new(GgmlType.Q2_K, "q2_K", QKK, QKK / 16 + QKK / 4 + 2 + 2, isSupported: true),
        new(GgmlType.Q3_K, "q3_K", QKK, QKK / 8 + QKK / 4 + 12 + 2, isSupported: true),
        new(GgmlType.Q4_K, "q4_K", QKK, 2 + 2 + 12 + QKK / 2, isSupported: true),
        new(GgmlType.Q5_K, "q5_K", QKK, 2 + 2 + 12 + QKK / 8 + QKK / 2, isSupported: true),
        new(GgmlType.Q6_K, "q6_K", QKK, QKK / 2 + QKK / 4 + QKK / 16 + 2, isSupported: true),
        new(GgmlType.Q8_K, "q8_K", QKK, 4 + QKK + QKK / 16 * 2, isSupported: false),
        new(GgmlType.IQ2_XXS, "iq2_xxs", QKK, 2 + QKK / 8 * 2, isSupported: false),
        new(GgmlType.IQ2_XS, "iq2_xs", QKK, 2 + QKK / 8 * 2 + QKK / 32, isSupported: false),
        new(GgmlType.IQ3_XXS, "iq3_xxs", QKK, 2 + 3 * QKK / 8, isSupported: false),
        new(GgmlType.IQ1_S, "iq1_s", QKK, 2 + QKK / 8 + QKK / 32 * 2, isSupported: false),
        new(GgmlType.IQ4_NL, "iq4_nl", QK, 2 + QK / 2, isSupported: false),
        new(GgmlType.IQ3_S, "iq3_s", QKK, 2 + QKK / 4 + QKK / 32 + QKK / 8 + QKK / 64, isSupported: false),
        new(GgmlType.IQ2_S, "iq2_s", QKK, 2 + QKK / 4 + QKK / 32 + QKK / 32, isSupported: false),
        new(GgmlType.IQ4_XS, "iq4_xs", QKK, 2 + 2 + QKK / 64 + QKK / 2, isSupported: false),
        new(GgmlType.I8, "i8", 1, 1, isSupported: false),
        new(GgmlType.I16, "i16", 1, 2, isSupported: false),
        new(GgmlType.I32, "i32", 1, 4, isSupported: false),
        new(GgmlType.I64, "i64", 1, 8, isSupported: false),
        new(GgmlType.F64, "f64", 1, 8, isSupported: false),
        new(GgmlType.IQ1_M, "iq1_m", QKK, QKK / 8 + QKK / 16 + QKK / 32, isSupported: false),
        new(GgmlType.BF16, "bf16", 1, 2, isSupported: true),
        new(GgmlType.Q4_0_4_4, "q4_0_4x4", 0, 0, isSupported: false),
        new(GgmlType.Q4_0_4_8, "q4_0_4x8", 0, 0, isSupported: false),
        new(GgmlType.Q4_0_8_8, "q4_0_8x8", 0, 0, isSupported: false),
        new(GgmlType.TQ1_0, "tq1_0", QKK, (QKK - 4 * QKK / 64) / 5 + QKK / 64 + 2, isSupported: false),
        new(GgmlType.TQ2_0, "tq2_0", QKK, QKK / 4 + 2, isSupported: false),
        new(GgmlType.IQ4_NL_4_4, "iq4_nl_4x4", 0, 0, isSupported: false),
        new(GgmlType.IQ4_NL_4_8, "iq4_nl_4x8", 0, 0, isSupported: false),
        new(GgmlType.IQ4_NL_8_8, "iq4_nl_8x8", 0, 0, isSupported: false),
        new(GgmlType.MXFP4, "mxfp4", QK, 1 + QK / 2, isSupported: false),
        new(GgmlType.NVFP4, "nvfp4", 64, 64 / 16 + 64 / 2, isSupported: false),
        new(GgmlType.Q1_0, "q1_0", 128, 2 + 128 / 8, isSupported: false),
        new(GgmlType.Q2_0, "q2_0", 64, 2 + 64 / 4, isSupported: false),
    ];

    private GgmlTypeInfo(GgmlType type, string name, int blockSize, int bytesPerBlock, bool isSupported)
    {
        Type = type;
        Name = name;
        BlockSize = blockSize;
        BytesPerBlock = bytesPerBlock;
        IsSupported = isSupported;
    }

    public GgmlType Type { get; }

    /// <summary>llama.cpp's name for the type (<c>ggml_type_name</c>), e.g. "q4_K".</summary>
    public string Name { get; }

    /// <summary>Elements per block; 0 for a retired id.</summary>
    public int BlockSize { get; }

    /// <summary>Bytes per block; 0 for a retired id.</summary>
    public int BytesPerBlock { get; }

    /// <summary>Whether AlignLab can dequantize this type.</summary>
    public bool IsSupported { get; }

    /// <summary>Whether llama.cpp has retired this id: no current file may use it.</summary>
    public bool IsRemoved => BlockSize == 0;

    /// <summary>Every known type id, in id order.</summary>
    public static IReadOnlyList<GgmlTypeInfo> All => Table;

    /// <summary>The row for a type id, or false for an id llama.cpp never assigned.</summary>
    public static bool TryGet(uint id, [NotNullWhen(true)] out GgmlTypeInfo? info)
    {
        info = id < (uint)Table.Length ? Table[id] : null;
        return info is not null;
    }

    public static GgmlTypeInfo Get(GgmlType type)
        => TryGet((uint)type, out var info) ? info : throw new ArgumentOutOfRangeException(nameof(type), type, "unknown ggml type");

    /// <summary>
    /// Bytes taken by <paramref name="elements"/> values, or false when the count is negative, not a
    /// whole number of blocks, or the size overflows a long.
    /// </summary>
    public bool TryGetByteSize(long elements, out long bytes)
    {
        bytes = 0;
        if (IsRemoved || elements < 0 || elements % BlockSize != 0)
        {
            return false;
        }
        var blocks = elements / BlockSize;
        if (blocks > long.MaxValue / BytesPerBlock)
        {
            return false;
        }
        bytes = blocks * BytesPerBlock;
        return true;
    }

    /// <summary>Bytes taken by one row of <paramref name="rowLength"/> values (ggml_row_size), checked.</summary>
    public long RowByteSize(long rowLength)
    {
        if (IsRemoved)
        {
            throw new NotSupportedException($"ggml type {Name} ({(uint)Type}) was removed from llama.cpp");
        }
        if (rowLength < 0 || rowLength % BlockSize != 0)
        {
            throw new ArgumentException($"row length {rowLength} is not a whole number of {Name} blocks of {BlockSize}", nameof(rowLength));
        }
        return checked(rowLength / BlockSize * BytesPerBlock);
    }

    public override string ToString() => Name;
}
