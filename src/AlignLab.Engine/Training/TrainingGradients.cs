namespace AlignLab.Engine.Training;

/// <summary>
/// ∂loss/∂parameter for every parameter, in the weights' layout (<see cref="ParameterLayout"/>). A
/// backward pass writes every slot (none is accumulated across steps), so nothing needs zeroing.
/// </summary>
internal sealed class TrainingGradients
{
    private readonly double[] _partials;

    public TrainingGradients(ParameterLayout layout, int threads)
    {
        Layout = layout;
        Data = new float[layout.Count];
        _partials = new double[threads];
    }

    public ParameterLayout Layout { get; }

    /// <summary>[Count] the gradient of every parameter.</summary>
    public float[] Data { get; }

    /// <summary>√Σg² over every parameter: per-thread sums in double over fixed shares, added in thread order.</summary>
    public double GlobalNorm(ParallelTeam team)
    {
        team.Run(new SumOfSquares(Data, _partials));
        var total = 0.0;
        for (var i = 0; i < team.Threads; i++)
        {
            total += _partials[i];
        }
        return Math.Sqrt(total);
    }

    private readonly struct SumOfSquares(float[] values, double[] partials) : IParallelWork
    {
        public void Execute(int index, int count)
        {
            var (first, end) = ParallelTeam.Share(values.Length, index, count);
            var sum = 0.0;
            for (var i = first; i < end; i++)
            {
                sum += (double)values[i] * values[i];
            }
            partials[index] = sum;
        }
    }
}
