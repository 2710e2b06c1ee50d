using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Quantization;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Formats.Quantization;

/// <summary>
/// Bit-exact agreement with llama.cpp's compiled code (libggml-base), on cases recorded by
/// tools/gguf-goldens/make_goldens.py: random blocks of every supported quant type, the reference
/// Q8_0/Q4_0 and Q2_K to Q6_K quantizers, and F32 to BF16 rounding.
/// </summary>
public sealed class GgmlGoldenTests(ITestOutputHelper output)
{
    internal static readonly string[] Lines = File.ReadAllLines(Path.Combine(
        SharedFixtures.RepoRoot, "tests/AlignLab.Engine.Tests/Formats/Quantization/Goldens/ggml-goldens.txt"));

    internal static IEnumerable<string[]> Cases(string kind)
        => Lines.Where(l => l.StartsWith(kind + " ", StringComparison.Ordinal)).Select(l => l.Split(' '));

    internal static GgmlType TypeNamed(string name) => GgmlTypeInfo.All.Single(i => i.Name == name).Type;

    internal static float[] Floats(string hex)
    {
        var values = new float[hex.Length / 8];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BitConverter.UInt32BitsToSingle(Convert.ToUInt32(hex.Substring(8 * i, 8), 16));
        }
        return values;
    }

    private static uint[] Bits(float[] values) => values.Select(BitConverter.SingleToUInt32Bits).ToArray();

    [Fact]
    public void Dequantized_blocks_match_llama_cpp_bit_for_bit()
    {
        var types = new List<string>();
        foreach (var c in Cases("dequant"))
        {
            var type = TypeNamed(c[1]);
            var expected = Floats(c[3]);
            var actual = new float[expected.Length];
            GgmlDequantizer.Dequantize(type, Convert.FromHexString(c[2]), actual);
            Assert.Equal(Bits(expected), Bits(actual));
            types.Add(c[1]);
        }
        Assert.Equal(["q4_0", "q4_1", "q5_0", "q5_1", "q8_0", "q2_K", "q3_K", "q4_K", "q5_K", "q6_K"], types);
    }

    [Fact]
    public void Reference_quantizers_match_llama_cpp_byte_for_byte()
    {
        var cases = Cases("quant").ToList();
        Assert.Equal(["q8_0", "q4_0", "q2_K", "q2_K", "q3_K", "q3_K", "q4_K", "q4_K", "q5_K", "q5_K", "q6_K", "q6_K"], cases.Select(c => c[1]));
        var blocks = new Dictionary<string, int>();
        foreach (var c in cases)
        {
            var type = TypeNamed(c[1]);
            var expected = Convert.FromHexString(c[3]);
            var actual = GgmlQuantizer.Quantize(type, Floats(c[2]));
            var info = GgmlTypeInfo.Get(type);
            for (var b = 0; b < expected.Length / info.BytesPerBlock; b++)
            {
                // Block by block, so a failure names the block.
                var range = new Range(b * info.BytesPerBlock, (b + 1) * info.BytesPerBlock);
                Assert.True(expected.AsSpan(range).SequenceEqual(actual.AsSpan(range)),
                    $"{c[1]} block {b}: expected {Convert.ToHexStringLower(expected[range])}, got {Convert.ToHexStringLower(actual[range])}");
            }
            Assert.Equal(expected.Length, actual.Length);
            blocks[c[1]] = blocks.GetValueOrDefault(c[1]) + (expected.Length / info.BytesPerBlock);
        }
        output.WriteLine(string.Join(", ", blocks.Select(kv => $"{kv.Key}: {kv.Value} blocks")));
    }

    [Fact]
    public void Bfloat16_rounding_matches_llama_cpp()
    {
        var cases = Cases("bf16").ToList();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            var value = BitConverter.UInt32BitsToSingle(Convert.ToUInt32(c[1], 16));
            Assert.Equal(Convert.ToUInt16(c[2], 16), Fp16.SingleToBFloat16(value));
        }
    }

    [Fact]
    public void Goldens_record_where_they_came_from()
        => Assert.StartsWith("# ggml ", Lines[0], StringComparison.Ordinal);
}
