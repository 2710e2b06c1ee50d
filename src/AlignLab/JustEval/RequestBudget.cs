namespace AlignLab.JustEval;

/// <summary>The requests a run may still send (<c>--max-requests</c>), taken one at a time by concurrent workers; unlimited when null.</summary>
public sealed class RequestBudget(int? limit)
{
    private int _left = limit ?? int.MaxValue;

    /// <summary>Takes one request; false when none is left.</summary>
    public bool TryTake()
    {
        while (true)
        {
            var left = Volatile.Read(ref _left);
            if (left <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _left, left - 1, left) == left)
            {
                return true;
            }
        }
    }
}
