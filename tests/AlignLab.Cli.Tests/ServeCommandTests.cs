using System.Text.Json;

namespace AlignLab.Cli.Tests;

public class ServeCommandTests(ModelFiles models) : IClassFixture<ModelFiles>
{
    [Theory]
    [InlineData("--port", "70000", "serve: --port must be within 0 to 65535, not 70000")]
    [InlineData("--max-concurrency", "0", "serve: --max-concurrency must be within 1 to 256, not 0")]
    [InlineData("--context", "1", "serve: --context must be at least 2, not 1")]
    [InlineData("--api-key", "", "serve: --api-key is empty")]
    [InlineData("--chat-template", "/nonexistent/t.jinja", "serve: --chat-template /nonexistent/t.jinja: file not found")]
    public async Task Bad_options_are_usage_errors_in_one_line(string option, string value, string message)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("serve", models.Synthetic, option, value);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal("error: " + message + "\n", stderr);
    }

    [Fact]
    public async Task It_serves_until_cancelled_and_prints_the_model_reference()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var log = TextWriter.Synchronized(stderr);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = CliApp.RunAsync(["serve", models.Synthetic, "--port", "0", "--served-model-name", "tiny", "--threads", "1"], stdout, log, stop.Token);
        string Log()
        {
            lock (log) // the synchronized writer locks itself while writing
            {
                return stderr.ToString();
            }
        }
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        patience.CancelAfter(TimeSpan.FromSeconds(60)); // a bound on a hang, not a timing
        string? reference = null;
        while (reference is null && !run.IsCompleted)
        {
            await Task.Delay(20, patience.Token);
            reference = Log().Split('\n').FirstOrDefault(l => l.StartsWith("model reference for clients: ", StringComparison.Ordinal))?["model reference for clients: ".Length..].Trim();
        }
        Assert.True(reference is not null, Log());
        Assert.EndsWith("/v1#tiny", reference, StringComparison.Ordinal);
        using var http = new HttpClient();
        var list = JsonDocument.Parse(await http.GetStringAsync(new Uri(reference[..reference.IndexOf('#', StringComparison.Ordinal)] + "/models"), TestContext.Current.CancellationToken));
        Assert.Equal("tiny", list.RootElement.GetProperty("data")[0].GetProperty("id").GetString());
        await stop.CancelAsync();
        Assert.Equal(0, await run);
        Assert.Contains("stopping", Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_cannot_be_opened_is_one_error_line()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("serve", "/nonexistent/model.gguf", "--port", "0");
        Assert.Equal(1, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: model \"/nonexistent/model.gguf\"", stderr, StringComparison.Ordinal);
    }
}
