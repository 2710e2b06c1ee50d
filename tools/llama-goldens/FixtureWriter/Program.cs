using System.Text.Json;
using AlignLab.Engine.Tests.Inference.Fidelity;

// Usage: dotnet run --project tools/llama-goldens/FixtureWriter -c Release -- SHARED OUT
// Writes OUT/NAME.gguf for every fixture and OUT/fixtures.json (name, file, sha256, kvCache, tokens).
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: FixtureWriter SHARED_DIR OUT_DIR");
    return 2;
}
var (shared, output) = (Path.GetFullPath(args[0]), Path.GetFullPath(args[1]));
Directory.CreateDirectory(output);
var list = new List<object>();
foreach (var fixture in FidelityFixture.All)
{
    var bytes = fixture.BuildGguf(shared);
    var file = Path.Combine(output, fixture.Name + ".gguf");
    File.WriteAllBytes(file, bytes);
    using var gguf = AlignLab.Engine.Formats.Gguf.GgufFile.Open(file);
    var vocab = gguf.GetArray("tokenizer.ggml.tokens").ArrayLength;
    list.Add(new { name = fixture.Name, file, sha256 = FidelityFixture.Sha256(bytes), kvCache = fixture.KvCache, tokens = fixture.Tokens(vocab) });
    Console.WriteLine($"{fixture.Name}: {bytes.Length} bytes");
}
File.WriteAllText(Path.Combine(output, "fixtures.json"), JsonSerializer.Serialize(list));
return 0;
