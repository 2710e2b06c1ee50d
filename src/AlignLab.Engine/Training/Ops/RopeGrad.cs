using AlignLab.Engine.Kernels;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Training;

/// <summary>
/// Rotary position embedding of the Q and K parts of the stacked QKV rows, in the layout and with the
/// frequencies the engine uses for a GGUF Llama file (adjacent pairs; llama.cpp's angle arithmetic),
/// so an exported model runs exactly as trained. A rotation's gradient is the rotation by the opposite
/// angle, so the backward pass is the same kernel with −sin.
/// </summary>
internal sealed unsafe class RopeGrad
{
    private readonly float[] _cos;
    private readonly float[] _sin;
    private readonly float[] _negativeSin;
    private readonly int _pairs;

    public RopeGrad(ModelConfig config)
    {
        HeadDim = config.HeadDim;
        _pairs = HeadDim / 2;
        var frequencies = RopeFrequencies.Ggml((float)config.RopeTheta, HeadDim, Kernels.RopeScaling.None);
        _cos = new float[config.ContextLength * _pairs];
        _sin = new float[_cos.Length];
        _negativeSin = new float[_cos.Length];
        for (var p = 0; p < config.ContextLength; p++)
        {
            frequencies.Compute(p, _cos.AsSpan(p * _pairs, _pairs), _sin.AsSpan(p * _pairs, _pairs));
        }
        for (var i = 0; i < _sin.Length; i++)
        {
            _negativeSin[i] = -_sin[i];
        }
    }

    public int HeadDim { get; }

    /// <summary>
    /// Rotates, in place, the first <paramref name="rotatedWidth"/> values (Q and K heads) of each of the n rows
    /// of <paramref name="rows"/> [n, width], row t by the angles of <paramref name="positions"/>[t];
    /// <paramref name="inverse"/> rotates back (the gradient).
    /// </summary>
    public void Apply(ParallelTeam team, Span<float> rows, int width, int rotatedWidth, ReadOnlySpan<int> positions, bool inverse)
    {
        fixed (float* pr = rows, pc = _cos, ps = inverse ? _negativeSin : _sin)
        fixed (int* pp = positions)
        {
            team.Run(new Work(pr, width, rotatedWidth, pp, positions.Length, pc, ps, _pairs, HeadDim));
        }
    }

    private readonly struct Work(float* rows, int width, int rotatedWidth, int* positions, int n, float* cos, float* sin, int pairs, int headDim) : IParallelWork
    {
        public void Execute(int index, int count)
        {
            var (first, end) = ParallelTeam.Share(n, index, count);
            for (var t = first; t < end; t++)
            {
                var angles = (long)positions[t] * pairs;
                Rope.Apply(new Span<float>(rows + (long)t * width, rotatedWidth), headDim,
                    new ReadOnlySpan<float>(cos + angles, pairs), new ReadOnlySpan<float>(sin + angles, pairs), Kernels.RopeLayout.Normal);
            }
        }
    }
}
