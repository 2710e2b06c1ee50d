using System.Security.Cryptography;
using System.Text.Json;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Tests.Training;

// Usage: dotnet run --project tools/organism-goldens/FixtureWriter -c Release -- GGUF_PATH FIXTURES_JSON
// Trains the fixture model, exports it as F32 GGUF to GGUF_PATH and writes FIXTURES_JSON
// (name, file, sha256, kvCache, tokens to score, texts to tokenize) for make-goldens.mjs.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: FixtureWriter GGUF_PATH FIXTURES_JSON");
    return 2;
}
var (gguf, fixtures) = (Path.GetFullPath(args[0]), Path.GetFullPath(args[1]));
var export = OrganismGoldenFixture.Train();
export.WriteGguf(gguf, GgmlType.F32);
var bytes = File.ReadAllBytes(gguf);
var tokens = OrganismGoldenFixture.ScoredTokens(export.Tokenizer.Vocabulary.CreateTokenizer());
var fixture = new
{
    name = OrganismGoldenFixture.Name,
    file = gguf,
    sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
    kvCache = "f32",
    tokens,
    texts = OrganismGoldenFixture.TokenizationTexts,
};
File.WriteAllText(fixtures, JsonSerializer.Serialize(new[] { fixture }));
Console.WriteLine($"{OrganismGoldenFixture.Name}: {bytes.Length} bytes, {tokens.Length} tokens to score");
return 0;
