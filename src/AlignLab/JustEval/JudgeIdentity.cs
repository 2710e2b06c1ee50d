using AlignLab.Runs;

namespace AlignLab.JustEval;

/// <summary>The name cached judgments carry for their judge: a served model's reference as given, a local model's file hash.</summary>
public static class JudgeIdentity
{
    /// <summary>"http(s)://HOST/v1#MODEL", or "sha256:HEX" of a local model's files (so moving them keeps the cache valid).</summary>
    public static string Of(ModelFingerprint model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Sha256 is { } sha ? "sha256:" + sha : model.Reference;
    }
}
