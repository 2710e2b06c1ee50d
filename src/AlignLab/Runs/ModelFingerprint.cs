using System.Text.Json.Nodes;

namespace AlignLab.Runs;

/// <summary>What identifies a model a run used: the reference as given, the files it resolved to, and their SHA-256.</summary>
/// <param name="Reference">The model argument as the user wrote it.</param>
/// <param name="Path">The GGUF file or folder it resolved to; null for a remote model.</param>
/// <param name="Sha256">See <see cref="FileHash.Sha256"/>; null for a remote model.</param>
public sealed record ModelFingerprint(string Reference, string? Path, string? Sha256)
{
    /// <summary>
    /// Hashes the local files at <paramref name="path"/> (null: a remote model, nothing to hash); big files through
    /// <paramref name="cache"/> (default <see cref="FileHashCache.Default"/>), so a resumed run does not read a model again.
    /// </summary>
    public static ModelFingerprint Of(string reference, string? path, FileHashCache? cache = null)
        => new(reference, path is null ? null : System.IO.Path.GetFullPath(path),
            path is null ? null : FileHash.Sha256(path, (cache ?? FileHashCache.Default).Sha256OfFile));

    /// <summary><c>{"name"?, "reference", "path", "sha256"}</c>, as run.json lists models.</summary>
    public JsonObject ToJson(string? name = null)
    {
        var json = new JsonObject();
        if (name is not null)
        {
            json["name"] = name;
        }
        json["reference"] = Reference;
        json["path"] = Path;
        json["sha256"] = Sha256;
        return json;
    }
}
