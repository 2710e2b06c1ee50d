namespace AlignLab.Server.Tests.Support;

/// <summary>Helpers for runs against servers: waiting until a server holds a number of requests at once.</summary>
internal static class ServedRuns
{
    /// <summary>
    /// Returns once <paramref name="server"/> is answering <paramref name="count"/> requests at once (with its decoding
    /// paused, they stay in flight); fails when <paramref name="run"/> ends or fails first, so a run that never overlaps
    /// its requests cannot pass.
    /// </summary>
    public static async Task WaitForRequestsInFlightAsync(ModelServer server, int count, Task run)
    {
        var cancel = TestContext.Current.CancellationToken;
        while (server.Stats.RequestsInFlight < count)
        {
            if (run.IsCompleted)
            {
                server.Scheduler.ResumeSteps();
                await run; // a failure surfaces here
                Assert.Fail($"the run ended with at most {server.Stats.MostRequestsInFlight} requests in flight, not {count}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancel);
        }
    }
}
