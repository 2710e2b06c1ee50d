using System.Buffers.Binary;
using System.Text;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Safetensors;

namespace AlignLab.Engine.Tests.Formats.Safetensors;

/// <summary>
/// Corrupts a valid file thousands of ways; the reader must either accept the result (a flip inside
/// tensor data is still a valid file) or throw <see cref="ModelFormatException"/>, never anything else.
/// </summary>
public class SafetensorsMutationTests
{
    private const int Iterations = 2500;

    private static readonly string[] Garbage =
        ["{", "}", "[", "]", ",", ":", "\"", "-1", "1e999", "null", "\"F32\"", "\"dtype\"", "\"__metadata__\"", "18446744073709551616", "\\u0000", "\u00ff"];

    private static byte[] Seed()
    {
        var writer = new SafetensorsWriter();
        writer.Metadata["format"] = "pt";
        writer.Add("model.layers.0.self_attn.q_proj.weight", SafetensorsDType.F32, [4, 4], new byte[64]);
        writer.Add("model.norm.weight", SafetensorsDType.BF16, [4], new byte[8]);
        writer.Add("lm_head.weight", SafetensorsDType.F16, [2, 4], new byte[16]);
        return writer.ToArray();
    }

    [Fact]
    public void Mutated_files_fail_only_with_ModelFormatException()
    {
        var seed = Seed();
        var headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(seed);
        var random = new Random(20240611);
        var rejected = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var mutated = Mutate(seed, headerEnd, random, i % 5);
            try
            {
                using var file = SafetensorsFile.Parse(mutated);
                foreach (var t in file.Tensors)
                {
                    _ = file.GetData(t).Length;
                }
            }
            catch (ModelFormatException e)
            {
                Assert.DoesNotContain('\n', e.Message);
                rejected++;
            }
        }
        Assert.InRange(rejected, Iterations / 2, Iterations);
    }

    private static byte[] Mutate(byte[] seed, int headerEnd, Random random, int kind)
    {
        var bytes = (byte[])seed.Clone();
        switch (kind)
        {
            case 0: // bit flips anywhere, mostly in the header where they matter
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    var at = random.Next(4) == 0 ? random.Next(bytes.Length) : random.Next(headerEnd);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }
                return bytes;
            case 1: // truncation
                return bytes[..random.Next(bytes.Length)];
            case 2: // header length field: huge, off by a little, or random
                var lengths = new[] { ulong.MaxValue, (ulong)random.NextInt64(), (ulong)(headerEnd - 8 + random.Next(-16, 17)), 100_000_001UL, 0UL };
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, lengths[random.Next(lengths.Length)]);
                return bytes;
            case 3: // JSON garbage spliced into the header (length field adjusted to match)
                var header = Encoding.UTF8.GetString(bytes, 8, headerEnd - 8);
                var at2 = random.Next(header.Length);
                var cut = random.Next(0, Math.Min(8, header.Length - at2));
                header = header[..at2] + Garbage[random.Next(Garbage.Length)] + header[(at2 + cut)..];
                var h = Encoding.UTF8.GetBytes(header);
                var rebuilt = new byte[8 + h.Length + bytes.Length - headerEnd];
                BinaryPrimitives.WriteUInt64LittleEndian(rebuilt, (ulong)h.Length);
                h.CopyTo(rebuilt, 8);
                bytes.AsSpan(headerEnd).CopyTo(rebuilt.AsSpan(8 + h.Length));
                return rebuilt;
            default: // random bytes over a header span
                var start = random.Next(8, headerEnd);
                random.NextBytes(bytes.AsSpan(start, Math.Min(random.Next(1, 12), headerEnd - start)));
                return bytes;
        }
    }
}
