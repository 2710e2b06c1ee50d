namespace AlignLab.Runs;

/// <summary>AlignLab's own cache: <c>$XDG_CACHE_HOME/alignlab</c>, else <c>$HOME/.cache/alignlab</c>.</summary>
public static class CacheFolder
{
    public static string Root
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "alignlab");
        }
    }
}
