using System.Text.Json;
using AlignLab.Engine.Formats;
using AlignLab.Data;

namespace AlignLab.Reports;

/// <summary>
/// Parses the run directory's JSON with the engine's bounded, UTF-8-checking parser, reporting a
/// syntax error as a <see cref="DataFormatException"/> that names the file (and line).
/// </summary>
internal static class JsonDocuments
{
    public static JsonDocument Load(string path, long maxBytes)
    {
        try
        {
            return JsonFile.Load(path, maxBytes);
        }
        catch (ModelFormatException e)
        {
            throw new DataFormatException(e.Message, e);
        }
    }

    /// <summary>One line of a JSON lines file; errors read "FILE:LINE: invalid JSON at line 1, byte B: …".</summary>
    public static JsonDocument ParseLine(ReadOnlyMemory<byte> utf8, string file, long line)
    {
        try
        {
            return JsonFile.Parse(utf8, DataFormatException.Where(file, line));
        }
        catch (ModelFormatException e)
        {
            throw new DataFormatException(e.Message, e);
        }
    }
}
