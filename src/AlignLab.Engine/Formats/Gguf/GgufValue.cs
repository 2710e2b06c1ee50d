using System.Globalization;
using System.Numerics;

namespace AlignLab.Engine.Formats.Gguf;

/// <summary>
/// One GGUF metadata value: a scalar, a string, or an array. Arrays keep their elements in one
/// typed .NET array (<c>string[]</c>, <c>float[]</c>, <c>int[]</c>, ...) rather than a boxed
/// object per element, so a 150k-entry vocabulary costs one allocation per string and no more;
/// nested arrays are a <see cref="GgufValue"/>[]. Values are immutable.
/// </summary>
public sealed class GgufValue
{
    private readonly object _value; // boxed scalar, string, or the typed element array

    private GgufValue(GgufValueType type, object value, GgufValueType elementType = default)
    {
        Type = type;
        _value = value;
        ElementType = elementType;
    }

    public GgufValueType Type { get; }

    /// <summary>For an array, the type of its elements; meaningless otherwise.</summary>
    public GgufValueType ElementType { get; }

    public bool IsArray => Type == GgufValueType.Array;

    /// <summary>For an array, the number of elements; 0 otherwise.</summary>
    public int ArrayLength => _value is Array a && IsArray ? a.Length : 0;

    /// <summary>
    /// The value itself: the boxed scalar (byte, sbyte, ushort, short, uint, int, float, bool, ulong,
    /// long, double), the string, or for an array the typed element array. Do not modify an array
    /// obtained here; the As*Array methods return copies.
    /// </summary>
    public object Value => _value;

    /// <summary>The key this value was read under, used in error messages; null when built in code.</summary>
    public string? Key { get; private init; }

    /// <summary>The file it was read from, used in error messages.</summary>
    public string? File { get; private init; }

    /// <summary>The byte offset of the value in its file, or -1 when built in code.</summary>
    public long Offset { get; private init; } = -1;

    public static GgufValue From(byte v) => new(GgufValueType.UInt8, v);
    public static GgufValue From(sbyte v) => new(GgufValueType.Int8, v);
    public static GgufValue From(ushort v) => new(GgufValueType.UInt16, v);
    public static GgufValue From(short v) => new(GgufValueType.Int16, v);
    public static GgufValue From(uint v) => new(GgufValueType.UInt32, v);
    public static GgufValue From(int v) => new(GgufValueType.Int32, v);
    public static GgufValue From(float v) => new(GgufValueType.Float32, v);
    public static GgufValue From(bool v) => new(GgufValueType.Bool, v);
    public static GgufValue From(string v) => new(GgufValueType.String, v ?? throw new ArgumentNullException(nameof(v)));
    public static GgufValue From(ulong v) => new(GgufValueType.UInt64, v);
    public static GgufValue From(long v) => new(GgufValueType.Int64, v);
    public static GgufValue From(double v) => new(GgufValueType.Float64, v);

    public static GgufValue FromArray(byte[] items) => MakeArray(GgufValueType.UInt8, items);
    public static GgufValue FromArray(sbyte[] items) => MakeArray(GgufValueType.Int8, items);
    public static GgufValue FromArray(ushort[] items) => MakeArray(GgufValueType.UInt16, items);
    public static GgufValue FromArray(short[] items) => MakeArray(GgufValueType.Int16, items);
    public static GgufValue FromArray(uint[] items) => MakeArray(GgufValueType.UInt32, items);
    public static GgufValue FromArray(int[] items) => MakeArray(GgufValueType.Int32, items);
    public static GgufValue FromArray(float[] items) => MakeArray(GgufValueType.Float32, items);
    public static GgufValue FromArray(bool[] items) => MakeArray(GgufValueType.Bool, items);
    public static GgufValue FromArray(ulong[] items) => MakeArray(GgufValueType.UInt64, items);
    public static GgufValue FromArray(long[] items) => MakeArray(GgufValueType.Int64, items);
    public static GgufValue FromArray(double[] items) => MakeArray(GgufValueType.Float64, items);

    public static GgufValue FromArray(string[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (Array.IndexOf(items, null) >= 0)
        {
            throw new ArgumentException("a GGUF string array cannot hold null", nameof(items));
        }
        return MakeArray(GgufValueType.String, items);
    }

    /// <summary>An array of arrays; each inner array keeps its own element type.</summary>
    public static GgufValue FromArray(GgufValue[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            if (item is null || !item.IsArray)
            {
                throw new ArgumentException("a nested GGUF array holds only arrays", nameof(items));
            }
        }
        return MakeArray(GgufValueType.Array, items);
    }

    private static GgufValue MakeArray(GgufValueType elementType, Array items)
        => new(GgufValueType.Array, (items ?? throw new ArgumentNullException(nameof(items))).Clone(), elementType);

    /// <summary>Wraps what the parser read; the parser hands over ownership of <paramref name="value"/>.</summary>
    internal static GgufValue Parsed(GgufValueType type, object value, GgufValueType elementType, string key, string? file, long offset)
        => new(type, value, elementType) { Key = key, File = file, Offset = offset };

    public string AsString() => _value as string ?? throw WrongType("a string");

    public bool AsBool() => _value is bool b ? b : throw WrongType("a bool");

    /// <summary>Any integer type, checked: a negative value is an error.</summary>
    public ulong AsUInt64() => _value switch
    {
        byte v => v,
        ushort v => v,
        uint v => v,
        ulong v => v,
        sbyte v when v >= 0 => (ulong)v,
        short v when v >= 0 => (ulong)v,
        int v when v >= 0 => (ulong)v,
        long v when v >= 0 => (ulong)v,
        sbyte or short or int or long => throw OutOfRange("a non-negative integer"),
        _ => throw WrongType("an integer"),
    };

    /// <summary>Any integer type, checked: a UInt64 above <see cref="long.MaxValue"/> is an error.</summary>
    public long AsInt64() => _value switch
    {
        byte v => v,
        sbyte v => v,
        ushort v => v,
        short v => v,
        uint v => v,
        int v => v,
        long v => v,
        ulong v when v <= long.MaxValue => (long)v,
        ulong => throw OutOfRange("an integer that fits in Int64"),
        _ => throw WrongType("an integer"),
    };

    /// <summary>Any integer type that fits in a UInt32.</summary>
    public uint AsUInt32()
    {
        var v = AsUInt64();
        return v <= uint.MaxValue ? (uint)v : throw OutOfRange("an integer that fits in UInt32");
    }

    /// <summary>Any integer type that fits in an Int32.</summary>
    public int AsInt32()
    {
        var v = AsInt64();
        return v is >= int.MinValue and <= int.MaxValue ? (int)v : throw OutOfRange("an integer that fits in Int32");
    }

    /// <summary>A Float32 or Float64, or an integer (some writers store e.g. rope_theta as one).</summary>
    public double AsDouble() => _value switch
    {
        float v => v,
        double v => v,
        ulong v => v,
        byte or sbyte or ushort or short or uint or int or long => AsInt64(),
        _ => throw WrongType("a number"),
    };

    public float AsFloat() => (float)AsDouble();

    /// <summary>This value, checked to be an array.</summary>
    public GgufValue AsArray() => IsArray ? this : throw WrongType("an array");

    /// <summary>A copy of a string array.</summary>
    public string[] AsStringArray()
        => IsArray && ElementType == GgufValueType.String ? (string[])((string[])_value).Clone() : throw WrongType("an array of strings");

    /// <summary>A copy of a Float32 array; a Float64 array is narrowed.</summary>
    public float[] AsFloatArray() => !IsArray ? throw WrongType("an array of floats") : ElementType switch
    {
        GgufValueType.Float32 => (float[])((float[])_value).Clone(),
        GgufValueType.Float64 => Array.ConvertAll((double[])_value, x => (float)x),
        _ => throw WrongType("an array of floats"),
    };

    /// <summary>An integer array of any element type, each element checked to fit in an Int32.</summary>
    /// <remarks>
    /// Dispatches on <see cref="ElementType"/>, not on the runtime array type: the CLR lets a uint[]
    /// pass as an int[] (array covariance), which would silently reinterpret large values.
    /// </remarks>
    public int[] AsInt32Array() => !IsArray ? throw WrongType("an array of integers") : ElementType switch
    {
        GgufValueType.Int32 => (int[])((int[])_value).Clone(),
        GgufValueType.UInt8 => NarrowToInt32((byte[])_value),
        GgufValueType.Int8 => NarrowToInt32((sbyte[])_value),
        GgufValueType.UInt16 => NarrowToInt32((ushort[])_value),
        GgufValueType.Int16 => NarrowToInt32((short[])_value),
        GgufValueType.UInt32 => NarrowToInt32((uint[])_value),
        GgufValueType.Int64 => NarrowToInt32((long[])_value),
        GgufValueType.UInt64 => NarrowToInt32((ulong[])_value),
        _ => throw WrongType("an array of integers"),
    };

    private int[] NarrowToInt32<T>(T[] items) where T : IBinaryInteger<T>
    {
        var result = new int[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            // Saturating to long is exact for every element type except huge UInt64s, which stay out of range.
            var v = long.CreateSaturating(items[i]);
            result[i] = v is >= int.MinValue and <= int.MaxValue
                ? (int)v
                : throw Problem($"element {i} is {items[i]}, which does not fit in Int32");
        }
        return result;
    }

    /// <summary>The elements of any array as values (nested arrays come back as they are).</summary>
    public IReadOnlyList<GgufValue> AsValueArray()
    {
        if (!IsArray)
        {
            throw WrongType("an array");
        }
        if (_value is GgufValue[] nested)
        {
            return nested;
        }
        var items = (Array)_value;
        var values = new GgufValue[items.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = new GgufValue(ElementType, items.GetValue(i)!) { Key = $"{Key}[{i}]", File = File, Offset = Offset };
        }
        return values;
    }

    /// <summary>A short human-readable rendering; arrays show their element type and length.</summary>
    public override string ToString() => _value switch
    {
        string s => s,
        Array a => $"[{ElementType} x {a.Length}]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => _value.ToString() ?? "",
    };

    private string Describe() => IsArray ? $"an array of {ElementType}" : Type.ToString();

    private ModelFormatException WrongType(string expected) => Problem($"is {Describe()}, expected {expected}");

    private ModelFormatException OutOfRange(string expected) => Problem($"value {this} is out of range, expected {expected}");

    private ModelFormatException Problem(string problem)
    {
        var key = Key is null ? "value" : GgufText.Printable(Key);
        return Offset >= 0 ? ModelFormatException.At(File, key, Offset, problem) : ModelFormatException.In(File, key, problem);
    }
}
