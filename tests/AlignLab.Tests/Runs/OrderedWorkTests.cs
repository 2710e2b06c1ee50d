using AlignLab.Runs;

namespace AlignLab.Tests.Runs;

/// <summary>Results leave in item order whatever order they finish in; at most N at once; a failure stops the rest.</summary>
public sealed class OrderedWorkTests
{
    [Fact]
    public async Task Results_finishing_last_to_first_are_written_first_to_last_with_at_most_n_in_progress()
    {
        const int Items = 6, Concurrency = 3;
        var gates = Enumerable.Range(0, Items).Select(_ => new ManualResetEventSlim()).ToArray();
        var running = 0;
        var most = 0;
        var started = new List<int>();
        var written = new List<(int Item, string Result)>();
        var work = Task.Run(() => OrderedWork.Run(Enumerable.Range(0, Items), Concurrency, (item, cancel) =>
        {
            lock (started)
            {
                started.Add(item);
                most = Math.Max(most, ++running);
            }
            gates[item].Wait(cancel);
            lock (started)
            {
                running--;
            }
            return "r" + item;
        }, (item, result) => written.Add((item, result)), TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        // Release the first three in reverse; nothing can be written before item 0 is done.
        Assert.True(SpinWait.SpinUntil(() => { lock (started) { return started.Count == Concurrency; } }, TimeSpan.FromMinutes(1)), "the first items never started");
        gates[2].Set();
        gates[1].Set();
        Assert.Empty(written);
        gates[0].Set();
        foreach (var i in new[] { 5, 4, 3 })
        {
            gates[i].Set();
        }
        await work;
        Assert.Equal(Enumerable.Range(0, Items).Select(i => (i, "r" + i)), written);
        Assert.True(most <= Concurrency, $"{most} items were in progress at once");
        foreach (var gate in gates)
        {
            gate.Dispose();
        }
    }

    [Fact]
    public void A_failure_is_rethrown_after_what_came_before_it_is_written_and_nothing_after()
    {
        var written = new List<int>();
        var error = Assert.Throws<InvalidOperationException>(() => OrderedWork.Run(Enumerable.Range(0, 8), 4, (item, _) =>
            item == 3 ? throw new InvalidOperationException("item 3 broke") : item,
            (item, _) => written.Add(item), TestContext.Current.CancellationToken));
        Assert.Equal("item 3 broke", error.Message);
        Assert.Equal([0, 1, 2], written);
    }

    [Fact]
    public void One_at_a_time_runs_on_the_calling_thread_in_order()
    {
        var thread = Environment.CurrentManagedThreadId;
        var seen = new List<int>();
        OrderedWork.Run(new[] { 3, 1, 2 }, 1, (item, _) =>
        {
            Assert.Equal(thread, Environment.CurrentManagedThreadId);
            return item * 10;
        }, (_, result) => seen.Add(result), TestContext.Current.CancellationToken);
        Assert.Equal([30, 10, 20], seen);
    }
}
