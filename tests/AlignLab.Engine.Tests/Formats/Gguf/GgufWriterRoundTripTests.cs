using System.Buffers.Binary;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Quantization;

namespace AlignLab.Engine.Tests.Formats.Gguf;

public sealed class GgufWriterRoundTripTests
{
    private static GgufFile Reparse(GgufWriter writer) => GgufFile.Parse(writer.ToArray(), "roundtrip.gguf");

    [Fact]
    public void Every_metadata_type_round_trips_exactly_and_in_order()
    {
        var values = new (string Key, GgufValue Value)[]
        {
            ("general.architecture", GgufValue.From("llama")),
            ("t.u8", GgufValue.From((byte)200)),
            ("t.i8", GgufValue.From((sbyte)-100)),
            ("t.u16", GgufValue.From((ushort)60000)),
            ("t.i16", GgufValue.From((short)-30000)),
            ("t.u32", GgufValue.From(4_000_000_000u)),
            ("t.i32", GgufValue.From(-2_000_000_000)),
            ("t.f32", GgufValue.From(1e-5f)),
            ("t.bool", GgufValue.From(true)),
            ("t.string", GgufValue.From("héllo ✓ 🦙")),
            ("t.empty", GgufValue.From("")),
            ("t.u64", GgufValue.From(ulong.MaxValue)),
            ("t.i64", GgufValue.From(long.MinValue)),
            ("t.f64", GgufValue.From(Math.PI)),
            ("a.u8", GgufValue.FromArray(new byte[] { 1, 2, 255 })),
            ("a.i8", GgufValue.FromArray(new sbyte[] { -1, 127 })),
            ("a.u16", GgufValue.FromArray(new ushort[] { 1, 65535 })),
            ("a.i16", GgufValue.FromArray(new short[] { -1, 32767 })),
            ("a.u32", GgufValue.FromArray(new uint[] { 0, uint.MaxValue })),
            ("a.i32", GgufValue.FromArray(new[] { -5, 6 })),
            ("a.f32", GgufValue.FromArray(new[] { 0.5f, float.NegativeInfinity })),
            ("a.bool", GgufValue.FromArray(new[] { true, false, true })),
            ("a.string", GgufValue.FromArray(new[] { "a", "", "ü", "<0x0A>" })),
            ("a.u64", GgufValue.FromArray(new[] { ulong.MaxValue })),
            ("a.i64", GgufValue.FromArray(new[] { long.MinValue, 0L })),
            ("a.f64", GgufValue.FromArray(new[] { -0.0, 1e300 })),
            ("a.empty", GgufValue.FromArray(Array.Empty<float>())),
            ("a.nested", GgufValue.FromArray(new[] { GgufValue.FromArray(new[] { 1, 2 }), GgufValue.FromArray(new[] { "x" }) })),
        };
        var writer = new GgufWriter();
        foreach (var (key, value) in values)
        {
            writer.AddMetadata(key, value);
        }

        using var gguf = Reparse(writer);

        Assert.Equal(3u, gguf.Version);
        Assert.Equal(values.Select(v => v.Key), gguf.MetadataKeys);
        foreach (var (key, expected) in values)
        {
            var actual = gguf.Metadata[key];
            Assert.Equal(expected.Type, actual.Type);
            Assert.Equal(expected.ElementType, actual.ElementType);
            if (expected.Value is GgufValue[] nested)
            {
                var got = (GgufValue[])actual.Value;
                Assert.Equal(nested.Length, got.Length);
                for (var i = 0; i < nested.Length; i++)
                {
                    Assert.Equal(nested[i].ElementType, got[i].ElementType);
                    Assert.Equal(nested[i].Value, got[i].Value);
                }
            }
            else
            {
                Assert.Equal(expected.Value, actual.Value);
            }
        }
        Assert.Equal("llama", gguf.Architecture);
    }

    [Fact]
    public void Tensors_round_trip_exactly_for_f32_and_as_converted_for_f16_and_bf16()
    {
        var rng = new Random(7);
        var x = Enumerable.Range(0, 96).Select(_ => (float)(rng.NextDouble() * 200 - 100)).ToArray();
        x[5] = float.NaN;
        var writer = new GgufWriter();
        writer.AddTensor("f32", [32, 3], x);
        writer.AddTensor("f16", [96], x, GgmlType.F16);
        writer.AddTensor("bf16", [48, 2], x, GgmlType.BF16);

        using var gguf = Reparse(writer);

        Assert.Equal(x, GgmlDequantizer.Dequantize(gguf, gguf.GetTensor("f32")));
        var f16 = GgmlDequantizer.Dequantize(gguf, gguf.GetTensor("f16"));
        var bf16 = GgmlDequantizer.Dequantize(gguf, gguf.GetTensor("bf16"));
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(Fp16.HalfToSingle(Fp16.SingleToHalf(x[i])), f16[i]);
            Assert.Equal(Fp16.BFloat16ToSingle(Fp16.SingleToBFloat16(x[i])), bf16[i]);
            if (!float.IsNaN(x[i]))
            {
                Assert.True(MathF.Abs(f16[i] - x[i]) <= MathF.Abs(x[i]) * MathF.Pow(2, -11));
                Assert.True(MathF.Abs(bf16[i] - x[i]) <= MathF.Abs(x[i]) * MathF.Pow(2, -8));
            }
        }
        Assert.True(float.IsNaN(f16[5]) && float.IsNaN(bf16[5]));
    }

    [Theory]
    [InlineData(GgmlType.Q8_0)]
    [InlineData(GgmlType.Q4_0)]
    public void Quantized_tensors_round_trip_as_the_reference_quantizer_wrote_them(GgmlType type)
    {
        var rng = new Random(9);
        var x = Enumerable.Range(0, 64 * 4).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var writer = new GgufWriter();
        writer.AddTensor("w", [64, 4], x, type);

        using var gguf = Reparse(writer);
        var info = gguf.GetTensor("w");

        Assert.Equal(type, info.Type);
        Assert.Equal(256, info.ElementCount);
        Assert.Equal(GgmlQuantizer.Quantize(type, x), gguf.GetTensorData(info).ToArray());
        var y = GgmlDequantizer.Dequantize(gguf, info);
        var bound = type == GgmlType.Q8_0 ? 1f / 127 * 0.51f : 1f / 8 * 1.01f; // |x| <= 1
        Assert.All(x.Zip(y), p => Assert.True(MathF.Abs(p.First - p.Second) <= bound, $"{p.First} -> {p.Second}"));
    }

    [Theory]
    [InlineData(32u)]
    [InlineData(64u)]
    [InlineData(1u)]
    [InlineData(4096u)]
    public void Tensor_data_is_aligned_and_the_layout_is_as_written(uint alignment)
    {
        var writer = new GgufWriter(alignment);
        writer.AddMetadata("general.name", "tiny");
        writer.AddTensor("a", [3], [1f, 2f, 3f]);
        writer.AddTensor("b", [2, 2], [4f, 5f, 6f, 7f]);
        var bytes = writer.ToArray();

        using var gguf = GgufFile.Parse(bytes);

        Assert.Equal(alignment, gguf.Alignment);
        Assert.Equal(0, gguf.DataOffset % alignment);
        Assert.Equal(alignment != 32, gguf.Metadata.ContainsKey("general.alignment"));
        var (a, b) = (gguf.Tensors[0], gguf.Tensors[1]);
        Assert.Equal(("a", 0L, 12L), (a.Name, a.Offset, a.ByteSize));
        Assert.Equal(0, b.Offset % alignment);
        Assert.Equal([2L, 2L], b.Shape);
        Assert.Equal((2L, 2L), (b.RowLength, b.RowCount));
        Assert.Equal(5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(gguf.DataOffset + b.Offset + 4))));
        Assert.Equal([4f, 5f, 6f, 7f], GgmlDequantizer.Dequantize(gguf, b));
        Assert.True(gguf.TryGetTensor("b", out var found) && ReferenceEquals(found, b));
        Assert.False(gguf.TryGetTensor("c", out _));
    }

    [Fact]
    public void Write_is_atomic_and_open_memory_maps_the_result()
    {
        var dir = Directory.CreateTempSubdirectory("alignlab-gguf-");
        try
        {
            var path = Path.Combine(dir.FullName, "model.gguf");
            File.WriteAllText(path, "old contents");
            var writer = new GgufWriter();
            writer.AddMetadata("general.architecture", "llama");
            writer.AddMetadata("llama.context_length", 2048u);
            writer.AddTensor("token_embd.weight", [32, 2], Enumerable.Range(0, 64).Select(i => (float)i).ToArray(), GgmlType.Q8_0);

            writer.Write(path);

            Assert.Equal([path], Directory.GetFiles(dir.FullName)); // no temporary file left behind
            using var gguf = GgufFile.Open(path);
            Assert.Equal(path, gguf.Name);
            Assert.Equal(2048u, gguf.GetUInt32("llama.context_length"));
            var info = gguf.GetTensor("token_embd.weight");
            Assert.Equal(68, gguf.GetTensorData(info).Length);
            Assert.Equal(writer.ToArray(), File.ReadAllBytes(path));
            Assert.Equal(33f, GgmlDequantizer.Dequantize(gguf, info)[33], 0.25f); // half a step of 63 / 127

            gguf.Dispose();
            Assert.Throws<ObjectDisposedException>(() => gguf.GetTensorData(info).Length);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Writer_refuses_what_a_reader_would_reject()
    {
        var writer = new GgufWriter();
        writer.AddMetadata("k", 1u);
        writer.AddTensor("t", [32], new float[32]);
        Assert.Throws<ArgumentException>(() => writer.AddMetadata("k", 2u));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("t", [32], new float[32]));
        Assert.Throws<ArgumentException>(() => writer.AddMetadata("general.alignment", 64u));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("u", [5, 0], new float[0]));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("u", [1, 1, 1, 1, 1], new float[1]));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("u", [16], new float[16], GgmlType.Q8_0));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("u", [32], GgmlType.Q8_0, new byte[33]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GgufWriter(48));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GgufWriter(0));
        var lone = new GgufWriter();
        lone.AddMetadata("bad", "\ud800");
        Assert.ThrowsAny<ArgumentException>(() => lone.ToArray()); // a lone surrogate is not valid UTF-8
    }

    [Fact]
    public void Typed_getters_convert_checked_and_name_the_key_on_a_wrong_type()
    {
        var writer = new GgufWriter();
        writer.AddMetadata("n.u8", GgufValue.From((byte)7));
        writer.AddMetadata("n.neg", -1);
        writer.AddMetadata("n.big", ulong.MaxValue);
        writer.AddMetadata("s", "text");
        writer.AddMetadata("f", 0.25f);
        writer.AddMetadata("ids", GgufValue.FromArray(new uint[] { 1, 2, 3 }));
        using var gguf = Reparse(writer);

        Assert.Equal(7u, gguf.GetUInt32("n.u8"));
        Assert.Equal(-1, gguf.GetValue("n.neg").AsInt64());
        Assert.Equal(ulong.MaxValue, gguf.GetUInt64("n.big"));
        Assert.True(gguf.TryGetFloat("f", out var f) && f == 0.25f);
        Assert.Equal([1, 2, 3], gguf.GetArray("ids").AsInt32Array());
        Assert.False(gguf.TryGetUInt32("absent", out _));
        Assert.False(gguf.TryGetString("absent", out _));

        AssertNamed(() => gguf.GetUInt32("n.neg"), "n.neg");
        AssertNamed(() => gguf.GetUInt32("n.big"), "n.big");
        AssertNamed(() => gguf.GetValue("n.big").AsInt64(), "n.big");
        AssertNamed(() => gguf.GetString("f"), "f");
        AssertNamed(() => gguf.TryGetBool("s", out _), "s");
        AssertNamed(() => gguf.GetArray("s"), "s");
        AssertNamed(() => gguf.GetArray("ids").AsStringArray(), "ids");
        AssertNamed(() => gguf.GetString("absent"), "absent");
    }

    private static void AssertNamed(Action act, string key)
    {
        var e = Assert.Throws<AlignLab.Engine.Formats.ModelFormatException>(act);
        Assert.StartsWith("roundtrip.gguf: " + key, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
