using System.Runtime.ExceptionServices;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// A fixed team of threads for the matrix kernels: <see cref="ThreadCount"/> - 1 workers plus the
/// calling thread, which always takes part. A run hands every member the same function pointer and
/// context (a struct on the caller's stack, valid because the caller waits), so dispatching
/// allocates nothing, unlike Parallel.For. Workers spin briefly before sleeping, as kernel calls in
/// a forward pass follow each other within microseconds. One run at a time per pool.
/// </summary>
public sealed unsafe class KernelThreadPool : IDisposable
{
    // ManualResetEventSlim's maximum: a few tens of microseconds of spinning before a worker blocks.
    private const int SpinCount = 2047;

    private readonly Thread[] _workers;
    private readonly ManualResetEventSlim[] _start;
    private readonly ManualResetEventSlim _done = new(false, SpinCount);
    private delegate*<void*, int, int, void> _work;
    private void* _context;
    private int _pending;
    private int _running;
    private volatile bool _disposed;
    private ExceptionDispatchInfo? _failure;

    /// <param name="threadCount">Threads taking part in each run, the caller included (1 runs everything inline).</param>
    public KernelThreadPool(int threadCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        ThreadCount = threadCount;
        _start = new ManualResetEventSlim[threadCount - 1];
        _workers = new Thread[threadCount - 1];
        for (var i = 0; i < _workers.Length; i++)
        {
            _start[i] = new ManualResetEventSlim(false, SpinCount);
            var index = i + 1;
            _workers[i] = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"AlignLab kernel {index}" };
            _workers[i].Start();
        }
    }

    public int ThreadCount { get; }

    /// <summary>Calls work(context, i, ThreadCount) once for each i in [0, ThreadCount), in parallel, and waits.</summary>
    internal void Run(delegate*<void*, int, int, void> work, void* context)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ThreadCount == 1)
        {
            work(context, 0, 1);
            return;
        }
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException("a KernelThreadPool runs one kernel at a time");
        }
        try
        {
            _work = work;
            _context = context;
            _pending = _workers.Length;
            _done.Reset();
            foreach (var start in _start)
            {
                start.Set();
            }
            try
            {
                work(context, 0, ThreadCount);
            }
            finally
            {
                _done.Wait();
            }
            var failure = Interlocked.Exchange(ref _failure, null);
            failure?.Throw();
        }
        finally
        {
            _work = null;
            _context = null;
            Volatile.Write(ref _running, 0);
        }
    }

    private void WorkerLoop(int index)
    {
        var start = _start[index - 1];
        while (true)
        {
            start.Wait();
            start.Reset();
            if (_disposed)
            {
                return;
            }
            try
            {
                _work(_context, index, ThreadCount);
            }
#pragma warning disable CA1031 // any failure is carried to the calling thread and rethrown there
            catch (Exception e)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            }
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                _done.Set();
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var start in _start)
        {
            start.Set();
        }
        foreach (var worker in _workers)
        {
            worker.Join();
        }
        foreach (var start in _start)
        {
            start.Dispose();
        }
        _done.Dispose();
    }
}
