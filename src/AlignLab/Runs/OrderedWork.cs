namespace AlignLab.Runs;

/// <summary>
/// Works through items with up to N of them in progress at once, yet hands every result on in the items' order,
/// on the calling thread: a run's output lines keep record order (and resume by prefix) whatever finishes first.
/// </summary>
public static class OrderedWork
{
    /// <summary>
    /// Computes each item (<paramref name="compute"/>, on its own thread when <paramref name="concurrency"/> &gt; 1: the
    /// work blocks on the network) and passes item and result to <paramref name="write"/> in item order.
    /// <paramref name="items"/> is enumerated on the calling thread, at most one item ahead of a free slot, so work
    /// done while enumerating (making a prompt) stays single-threaded and is not done far ahead. At most
    /// <paramref name="concurrency"/> items are computed or waiting to be written at a time. The first failure (of a
    /// computation, in item order, or of <paramref name="write"/>) stops the rest, which are cancelled and awaited
    /// before it is rethrown: results after the failed item are not written, and a rerun computes them again.
    /// </summary>
    public static void Run<TItem, TResult>(IEnumerable<TItem> items, int concurrency, Func<TItem, CancellationToken, TResult> compute,
        Action<TItem, TResult> write, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentNullException.ThrowIfNull(write);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        if (concurrency == 1)
        {
            foreach (var item in items)
            {
                cancel.ThrowIfCancellationRequested();
                write(item, compute(item, cancel));
            }
            return;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var pending = new Queue<(TItem Item, Task<TResult> Result)>();
        try
        {
            foreach (var item in items)
            {
                cancel.ThrowIfCancellationRequested();
                if (pending.Count == concurrency)
                {
                    WriteFirst(pending, write);
                }
                var token = stop.Token;
                pending.Enqueue((item, Task.Factory.StartNew(() => compute(item, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default)));
            }
            while (pending.Count > 0)
            {
                WriteFirst(pending, write);
            }
        }
        finally
        {
            if (pending.Count > 0)
            {
                stop.Cancel();
                try
                {
                    Task.WaitAll([.. pending.Select(p => p.Result)], CancellationToken.None);
                }
                catch (AggregateException)
                {
                    // Their outcomes are dropped: the failure already on its way out is the one that counts.
                }
            }
        }
    }

    private static void WriteFirst<TItem, TResult>(Queue<(TItem Item, Task<TResult> Result)> pending, Action<TItem, TResult> write)
    {
        var (item, result) = pending.Peek();
        var value = result.GetAwaiter().GetResult();
        pending.Dequeue();
        write(item, value);
    }
}
