using System.Runtime.CompilerServices;
using AlignLab.Engine.Kernels;

namespace AlignLab.Engine.Training;

/// <summary>One share of a parallel loop: thread <c>index</c> of <c>count</c> does its fixed part.</summary>
internal interface IParallelWork
{
    void Execute(int index, int count);
}

/// <summary>
/// The trainer's threads: a <see cref="KernelThreadPool"/> (the matrix kernels run on it directly) and
/// zero-allocation parallel loops over it. Every loop hands thread i of n the same fixed share on every
/// call, and every reduction adds per-thread partial results in thread order, so a run with the same
/// thread count gives the same bits.
/// </summary>
internal sealed unsafe class ParallelTeam : IDisposable
{
    public ParallelTeam(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        Pool = threads > 1 ? new KernelThreadPool(threads) : null;
    }

    public int Threads { get; }

    /// <summary>The threads for the kernels' own partitioning (<see cref="MatMul.Multiply"/>); null for one thread.</summary>
    public KernelThreadPool? Pool { get; }

    /// <summary>
    /// Runs <paramref name="work"/>.Execute(i, Threads) on every thread and waits. The work is passed by
    /// value: its copy lives on this frame's stack, which does not move while the threads read it.
    /// </summary>
    public void Run<TWork>(TWork work)
        where TWork : struct, IParallelWork
    {
        if (Pool is null)
        {
            work.Execute(0, 1);
            return;
        }
        Pool.Run(&Dispatch<TWork>, Unsafe.AsPointer(ref work));
    }

    /// <summary>Thread <paramref name="index"/> of <paramref name="count"/> takes items [First, End) of <paramref name="items"/>: equal contiguous shares.</summary>
    public static (int First, int End) Share(int items, int index, int count) => MatMul.Share(items, index, count);

    public void Dispose() => Pool?.Dispose();

    private static void Dispatch<TWork>(void* context, int index, int count)
        where TWork : struct, IParallelWork
        => Unsafe.AsRef<TWork>(context).Execute(index, count);
}
