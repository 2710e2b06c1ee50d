using Microsoft.Playwright;

namespace AlignLab.Tests.Support;

/// <summary>
/// Debian's chromium driven by Playwright, launched by executable path (CHROMIUM_PATH, else `chromium`
/// on PATH) and never downloaded. A browser that cannot start fails the tests that need it: a report
/// test that skipped would prove nothing.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ExecutablePath()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"CHROMIUM_PATH={configured}: no such file");
        }
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("chromium is not on PATH and CHROMIUM_PATH is not set: install it (apt-get install -y chromium; .ci/run does) to run the report's browser tests");
    }

    public async ValueTask InitializeAsync()
    {
        // The driver ships in the NuGet package; the browser is the system's. Nothing is downloaded.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath(),
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            Headless = true,
            Timeout = 60_000,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
    }
}
