using System.Text.Json.Nodes;

namespace AlignLab.Tds;

internal static class JsonObjectExtensions
{
    /// <summary>Runs <paramref name="fill"/> on the object and returns it: adds fields inside an expression.</summary>
    public static JsonObject Also(this JsonObject json, Action<JsonObject> fill)
    {
        fill(json);
        return json;
    }
}
