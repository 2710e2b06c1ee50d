using System.Text.RegularExpressions;

namespace AlignLab.Engine.Hub;

/// <summary>
/// A hub model id, <c>ORG/NAME</c> (or a legacy single <c>NAME</c>), with the characters the hub
/// allows, so it is safe to use in URLs and cache folder names.
/// </summary>
public sealed partial record RepoId
{
    private RepoId(string value) => Value = value;

    public string Value { get; }

    /// <summary>The cache folder name: <c>models--ORG--NAME</c>, as huggingface_hub spells it.</summary>
    public string CacheFolderName => "models--" + Value.Replace("/", "--", StringComparison.Ordinal);

    public static bool TryParse(string text, out RepoId? id)
    {
        id = text is not null && Pattern().IsMatch(text) && !text.Contains("--", StringComparison.Ordinal) && !text.Contains("..", StringComparison.Ordinal)
            ? new RepoId(text)
            : null;
        return id is not null;
    }

    public static RepoId Parse(string text)
        => TryParse(text, out var id) ? id! : throw new HubException($"\"{text}\" is not a hub model id like ORG/NAME");

    /// <summary>Splits <c>ORG/NAME@REVISION</c>; the revision is null when not given.</summary>
    public static bool TryParseWithRevision(string text, out RepoId? id, out string? revision)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        revision = at < 0 ? null : text[(at + 1)..];
        id = null;
        return (revision is null || IsSafeRevision(revision)) && TryParse(at < 0 ? text : text[..at], out id);
    }

    /// <summary>A branch, tag or commit usable as a path below refs/: no empty, "." or ".." segments.</summary>
    public static bool IsSafeRevision(string revision)
        => revision.Length is > 0 and <= 256 && !revision.Any(char.IsControl) && !revision.Contains('\\', StringComparison.Ordinal)
            && revision.Split('/').All(s => s.Length > 0 && s is not ("." or ".."));

    public static bool IsCommitHash(string revision) => CommitPattern().IsMatch(revision);

    public override string ToString() => Value;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}(/[A-Za-z0-9][A-Za-z0-9._-]{0,95})?$")]
    private static partial Regex Pattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();
}
