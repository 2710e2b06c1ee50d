namespace AlignLab.Engine.Hub;

/// <summary>
/// Checks the file names a hub server lists before they become local paths: a hostile or broken
/// server must not be able to write outside the snapshot folder.
/// </summary>
internal static class HubPaths
{
    /// <summary>Throws unless <paramref name="name"/> is a relative path of plain segments.</summary>
    public static string RequireSafeFileName(string name, string repoDescription)
    {
        var safe = name.Length is > 0 and <= 1024
            && !name.Any(char.IsControl)
            && !name.Contains('\\', StringComparison.Ordinal)
            && !name.Contains(':', StringComparison.Ordinal)
            && !Path.IsPathRooted(name)
            && name.Split('/').All(segment => segment.Length > 0 && segment is not ("." or ".."));
        return safe ? name : throw new HubException($"{repoDescription}: refusing unsafe file name \"{Escape(name)}\" from the server");
    }

    /// <summary>ETags name blob files; LFS ones are SHA-256 hex, git ones SHA-1 hex.</summary>
    public static string RequireSafeEtag(string etag, string file)
        => etag.Length is > 0 and <= 128 && etag.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? etag
            : throw new HubException($"{file}: the server sent an unusable ETag \"{Escape(etag)}\"");

    private static string Escape(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
