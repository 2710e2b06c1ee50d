using System.Text.Json;

namespace AlignLab.Cli.Commands;

/// <summary>Pieces shared by the commands that print one JSON line per token.</summary>
internal static class JsonLines
{
    /// <summary><c>"top": [[id, logprob], …]</c>, most likely first.</summary>
    public static void WriteTop(Utf8JsonWriter json, ReadOnlySpan<int> ids, ReadOnlySpan<float> logProbs)
    {
        json.WriteStartArray("top");
        for (var k = 0; k < ids.Length; k++)
        {
            json.WriteStartArray();
            json.WriteNumberValue(ids[k]);
            json.WriteNumberValue(logProbs[k]);
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }
}
