using System.Text;
using System.Text.RegularExpressions;

namespace AlignLab.Engine.Hub;

/// <summary>
/// Which repository files a pull downloads. Patterns match the whole path: <c>*</c> and <c>?</c>
/// stay within one folder, <c>**</c> crosses folders. The defaults fetch what the engine loads from
/// the repository root (configs, tokenizer, chat template, safetensors weights and their index);
/// GGUF files are large alternatives and only come when asked for.
/// </summary>
public sealed class HubFileSelection
{
    public static IReadOnlyList<string> DefaultPatterns { get; } =
    [
        "config.json",
        "generation_config.json",
        "tokenizer*.json",
        "special_tokens_map.json",
        "chat_template.jinja",
        "chat_template.json",
        "*.safetensors",
        "*.safetensors.index.json",
    ];

    private readonly (string Pattern, Regex Regex)[] _defaults;
    private readonly (string Pattern, Regex Regex)[] _includes;

    /// <param name="includes">Extra patterns (the CLI's <c>--include</c>); each must match at least one file.</param>
    public HubFileSelection(IEnumerable<string>? includes = null)
    {
        _defaults = [.. DefaultPatterns.Select(p => (p, Compile(p)))];
        _includes = [.. (includes ?? []).Select(p => (p, Compile(p)))];
    }

    /// <summary>The files of <paramref name="available"/> to download, in repository order.</summary>
    public IReadOnlyList<string> Select(IReadOnlyList<string> available, string repoDescription)
    {
        foreach (var (pattern, regex) in _includes)
        {
            if (!available.Any(regex.IsMatch))
            {
                throw new HubException($"--include \"{pattern}\": no file in {repoDescription} matches");
            }
        }
        var chosen = available.Where(f => _defaults.Concat(_includes).Any(p => p.Regex.IsMatch(f))).ToList();
        return chosen.Count > 0
            ? chosen
            : throw new HubException($"{repoDescription}: no file matches the default patterns ({string.Join(", ", DefaultPatterns)}); name files with --include");
    }

    public static Regex Compile(string glob)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            regex.Append(glob[i] switch
            {
                '*' when i + 1 < glob.Length && glob[i + 1] == '*' => Consume(ref i, ".*"),
                '*' => "[^/]*",
                '?' => "[^/]",
                var c => Regex.Escape(c.ToString()),
            });
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private static string Consume(ref int i, string replacement)
    {
        i++;
        return replacement;
    }
}
