using System.Buffers.Binary;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Quantization;

namespace AlignLab.Engine.Tests.Formats.Gguf;

/// <summary>
/// Mutation fuzzing with a fixed seed: valid small files from <see cref="GgufWriter"/> are bit-flipped,
/// overwritten, truncated and have their length and count fields set to huge values. Every input must
/// either parse (and then every tensor must dequantize in bounds) or fail with a one-line
/// <see cref="ModelFormatException"/> that gives an offset. Any other exception fails the test.
/// </summary>
public sealed class GgufCorruptionTests
{
    private static readonly ulong[] Huge64 = [ulong.MaxValue, 1UL << 63, 1UL << 32, (1UL << 32) - 1, 1UL << 31, (1UL << 31) - 1, 1UL << 40];
    private static readonly uint[] Huge32 = [uint.MaxValue, 1u << 31, (1u << 31) - 1, 0x10000, 5, 0];

    public static TheoryData<string> Seeds() => ["metadata", "vocab", "kquants", "nested"];

    private static byte[] BuildSeed(string kind)
    {
        var rng = new Random(kind.Length * 7919);
        float[] Floats(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        byte[] Bytes(int n)
        {
            var b = new byte[n];
            rng.NextBytes(b);
            return b;
        }

        var w = new GgufWriter(kind == "kquants" ? 64u : 32u);
        w.AddMetadata("general.architecture", "llama");
        switch (kind)
        {
            case "metadata":
                w.AddMetadata("a.u8", GgufValue.From((byte)1));
                w.AddMetadata("a.i16", GgufValue.From((short)-2));
                w.AddMetadata("a.u32", 3u);
                w.AddMetadata("a.f32", 0.5f);
                w.AddMetadata("a.bool", true);
                w.AddMetadata("a.u64", 4UL);
                w.AddMetadata("a.i64", GgufValue.From(-5L));
                w.AddMetadata("a.f64", GgufValue.From(6.5));
                w.AddMetadata("a.ints", new[] { 1, 2, 3 });
                w.AddTensor("f32", [8, 2], Floats(16));
                w.AddTensor("f16", [16], Floats(16), GgmlType.F16);
                w.AddTensor("bf16", [4, 2, 2], Floats(16), GgmlType.BF16);
                w.AddTensor("q8", [32, 2], Floats(64), GgmlType.Q8_0);
                w.AddTensor("q4", [32], Floats(32), GgmlType.Q4_0);
                break;
            case "vocab":
                w.AddMetadata("tokenizer.ggml.model", "gpt2");
                w.AddMetadata("tokenizer.ggml.tokens", Enumerable.Range(0, 120).Select(i => i % 7 == 0 ? $"<0x{i:X2}>" : $"tok{i}é").ToArray());
                w.AddMetadata("tokenizer.ggml.scores", Floats(120));
                w.AddMetadata("tokenizer.ggml.token_type", Enumerable.Range(0, 120).Select(i => i % 3).ToArray());
                w.AddMetadata("tokenizer.ggml.merges", Enumerable.Range(0, 40).Select(i => $"t{i} k{i}").ToArray());
                w.AddTensor("token_embd.weight", [32, 4], Floats(128), GgmlType.Q8_0);
                break;
            case "kquants":
                foreach (var (type, bytes) in new[] { (GgmlType.Q2_K, 84), (GgmlType.Q3_K, 110), (GgmlType.Q4_K, 144), (GgmlType.Q5_K, 176), (GgmlType.Q6_K, 210) })
                {
                    w.AddTensor($"blk.{type}", [256], type, Bytes(bytes));
                }
                w.AddTensor("q4_1", [32], Floats(32), GgmlType.Q4_1);
                w.AddTensor("q5_0", [32], Floats(32), GgmlType.Q5_0);
                w.AddTensor("q5_1", [32], Floats(32), GgmlType.Q5_1);
                w.AddTensor("iq4_xs", [256], GgmlType.IQ4_XS, Bytes(136));
                break;
            default:
                w.AddMetadata("n.nested", GgufValue.FromArray([GgufValue.FromArray(["a", "b"]), GgufValue.FromArray(new[] { 1.5, 2.5 }),
                    GgufValue.FromArray([GgufValue.FromArray(new byte[] { 1, 2 })])]));
                w.AddMetadata("n.bools", GgufValue.FromArray(new[] { true, false }));
                w.AddTensor("four_d", [2, 2, 2, 2], Floats(16));
                w.AddTensor("wide", [64], Floats(64), GgmlType.Q8_0);
                break;
        }
        return w.ToArray();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Seed_files_are_valid(string kind)
    {
        using var gguf = GgufFile.Parse(BuildSeed(kind));
        Exercise(gguf);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Mutated_files_parse_or_fail_with_a_one_line_format_error(string kind)
    {
        var seed = BuildSeed(kind);
        int headerEnd;
        using (var parsed = GgufFile.Parse(seed))
        {
            headerEnd = (int)parsed.DataOffset;
        }
        var rng = new Random(20240601 + kind.Length);
        var tried = 0;

        // Truncation at every byte of the header and at a sample of data offsets.
        for (var cut = 0; cut < seed.Length; cut += cut < headerEnd ? 1 : 7)
        {
            Check(seed.AsSpan(0, cut).ToArray(), $"{kind}: truncated to {cut}");
            tried++;
        }

        // Huge values in every 8- and 4-byte window of the header: this hits every length and count field.
        for (var at = 0; at + 8 <= headerEnd; at++)
        {
            var huge = Huge64[rng.Next(Huge64.Length)];
            Check(Mutate(seed, m => BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(at), huge)), $"{kind}: u64 {huge} at {at}");
            var huge32 = Huge32[rng.Next(Huge32.Length)];
            Check(Mutate(seed, m => BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(at), huge32)), $"{kind}: u32 {huge32} at {at}");
            tried += 2;
        }

        // Random bit flips and byte overwrites, mostly in the header where the structure is.
        for (var i = 0; i < 2500; i++)
        {
            var mutated = (byte[])seed.Clone();
            var edits = 1 + rng.Next(4);
            for (var e = 0; e < edits; e++)
            {
                var at = rng.Next(4) == 0 ? rng.Next(mutated.Length) : rng.Next(headerEnd);
                if (rng.Next(2) == 0)
                {
                    mutated[at] ^= (byte)(1 << rng.Next(8));
                }
                else
                {
                    mutated[at] = (byte)rng.Next(256);
                }
            }
            if (rng.Next(8) == 0)
            {
                mutated = mutated[..rng.Next(mutated.Length)];
            }
            Check(mutated, $"{kind}: random mutation {i}");
            tried++;
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{kind}: {tried} mutated inputs");
        Assert.True(tried >= 2500, $"only {tried} inputs");
    }

    private static byte[] Mutate(byte[] seed, Action<byte[]> edit)
    {
        var copy = (byte[])seed.Clone();
        edit(copy);
        return copy;
    }

    private static void Check(byte[] input, string what)
    {
        GgufFile gguf;
        try
        {
            gguf = GgufFile.Parse(input, "fuzz.gguf");
        }
        catch (ModelFormatException e)
        {
            Assert.True(!e.Message.Contains('\n') && !e.Message.Contains('\r'), $"{what}: multi-line message {e.Message}");
            Assert.True(e.Message.Contains(" at offset ", StringComparison.Ordinal), $"{what}: no offset in {e.Message}");
            return;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name}: {e.Message}");
            return;
        }
        using (gguf)
        {
            try
            {
                Exercise(gguf);
            }
            catch (Exception e) when (e is not ModelFormatException)
            {
                Assert.Fail($"{what}: parsed, then {e.GetType().Name} reading it: {e.Message}");
            }
        }
    }

    /// <summary>Touches everything a parsed file offers: every value, every tensor's bytes, every dequantizable tensor.</summary>
    private static void Exercise(GgufFile gguf)
    {
        foreach (var key in gguf.MetadataKeys)
        {
            _ = gguf.Metadata[key].ToString();
        }
        _ = gguf.Architecture;
        foreach (var t in gguf.Tensors)
        {
            var data = gguf.GetTensorData(t);
            Assert.Equal(t.ByteSize, data.Length);
            if (GgmlTypeInfo.Get(t.Type).IsSupported)
            {
                Assert.Equal(t.ElementCount, GgmlDequantizer.Dequantize(gguf, t).Length);
            }
        }
    }
}
