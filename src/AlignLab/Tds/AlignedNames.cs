using System.Text;

namespace AlignLab.Tds;

/// <summary>
/// Folder names for aligned models, derived from their references and unique within a run: a file's name
/// without extension, a folder's name, or a hub id with '/' written "--"; characters other than letters,
/// digits, '.', '-' and '_' become '_'; a repeated name gets "-2", "-3", ...
/// </summary>
public static class AlignedNames
{
    public static IReadOnlyList<string> For(IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new List<string>();
        foreach (var reference in references)
        {
            var name = Base(reference);
            var unique = name;
            for (var n = 2; !used.Add(unique); n++)
            {
                unique = name + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            names.Add(unique);
        }
        return names;
    }

    private static string Base(string reference)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(reference);
        var text = File.Exists(trimmed) ? Path.GetFileNameWithoutExtension(trimmed)
            : Directory.Exists(trimmed) ? Path.GetFileName(Path.GetFullPath(trimmed))
            : trimmed.Replace("/", "--", StringComparison.Ordinal);
        var safe = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }
        if (safe.Length == 0 || safe[0] == '.')
        {
            safe.Insert(0, "model");
        }
        return safe.ToString();
    }
}
