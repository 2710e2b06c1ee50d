using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Formats.Safetensors;

/// <summary>The element types the safetensors format defines (whole-byte ones; names as in the header).</summary>
public enum SafetensorsDType
{
    Bool,
    U8,
    I8,
    F8E5M2,
    F8E4M3,
    F8E8M0,
    I16,
    U16,
    F16,
    BF16,
    I32,
    U32,
    F32,
    F64,
    I64,
    U64,
}

/// <summary>Header names and element sizes of <see cref="SafetensorsDType"/>, and which ones the engine computes with.</summary>
public static class SafetensorsDTypes
{
    /// <summary><paramref name="Ggml"/> is set for the supported types: the engine's common element-type vocabulary.</summary>
    private sealed record Entry(SafetensorsDType Type, string Name, int Size, GgmlType? Ggml = null);

    private static readonly Entry[] Table =
    [
        new(SafetensorsDType.Bool, "BOOL", 1),
        new(SafetensorsDType.U8, "U8", 1),
        new(SafetensorsDType.I8, "I8", 1),
        new(SafetensorsDType.F8E5M2, "F8_E5M2", 1),
        new(SafetensorsDType.F8E4M3, "F8_E4M3", 1),
        new(SafetensorsDType.F8E8M0, "F8_E8M0", 1),
        new(SafetensorsDType.I16, "I16", 2),
        new(SafetensorsDType.U16, "U16", 2),
        new(SafetensorsDType.F16, "F16", 2, GgmlType.F16),
        new(SafetensorsDType.BF16, "BF16", 2, GgmlType.BF16),
        new(SafetensorsDType.I32, "I32", 4),
        new(SafetensorsDType.U32, "U32", 4),
        new(SafetensorsDType.F32, "F32", 4, GgmlType.F32),
        new(SafetensorsDType.F64, "F64", 8),
        new(SafetensorsDType.I64, "I64", 8),
        new(SafetensorsDType.U64, "U64", 8),
    ];

    private static readonly Dictionary<string, SafetensorsDType> ByName =
        Table.ToDictionary(e => e.Name, e => e.Type, StringComparer.Ordinal);

    public static string Name(this SafetensorsDType type) => Table[(int)type].Name;

    public static int Size(this SafetensorsDType type) => Table[(int)type].Size;

    /// <summary>F32, F16 and BF16: the types model weights are read as.</summary>
    public static bool IsSupported(this SafetensorsDType type) => Table[(int)type].Ggml is not null;

    /// <summary>The matching ggml type of a supported dtype.</summary>
    public static GgmlType ToGgml(this SafetensorsDType type)
        => Table[(int)type].Ggml ?? throw new NotSupportedException($"dtype {type.Name()} is not supported (supported: {SupportedNames})");

    public static string SupportedNames => string.Join(", ", Table.Where(e => e.Ggml is not null).Select(e => e.Name));

    public static bool TryParse(string name, out SafetensorsDType type) => ByName.TryGetValue(name, out type);
}
