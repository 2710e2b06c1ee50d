using AlignLab.Engine.Formats.Gguf;
using BenchmarkDotNet.Attributes;

namespace AlignLab.Bench.Formats;

/// <summary>
/// Parsing the largest fixture vocabulary (Llama-3, 128k tokens, 280k merges): the cost of opening a
/// GGUF header, dominated by creating its strings. Needs ../shared beside the repository.
/// </summary>
[MemoryDiagnoser]
public class GgufParseBenchmark
{
    private byte[] _bytes = [];

    [GlobalSetup]
    public void Setup() => _bytes = File.ReadAllBytes(BenchPaths.Shared("fixtures/vocab/ggml-vocab-llama-bpe.gguf"));

    [Benchmark]
    public int ParseLlamaBpeVocab()
    {
        using var gguf = GgufFile.Parse(_bytes, "llama-bpe");
        return gguf.Metadata.Count;
    }
}
