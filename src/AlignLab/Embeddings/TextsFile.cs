using System.Text.Json;
using AlignLab.Data;

namespace AlignLab.Embeddings;

/// <summary>
/// The texts to embed: a JSON array or JSON Lines of <c>{"text": ...}</c> records (other fields ignored), read
/// strictly: a record without a string "text", or with an empty one (which has nothing to embed), is an error naming its line.
/// </summary>
public static class TextsFile
{
    public static IReadOnlyList<string> Read(string path)
    {
        var texts = new List<string>();
        foreach (var record in JsonRecordFile.Read(path, new BadRecordLog(skipBad: false)))
        {
            if (!record.Element.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
            {
                throw DataFormatException.At(path, record.Line, "expected a record {\"text\": string}");
            }
            if (text.GetString()!.Length == 0)
            {
                throw DataFormatException.At(path, record.Line, "the \"text\" is empty: there is nothing to embed");
            }
            texts.Add(text.GetString()!);
        }
        return texts;
    }
}
