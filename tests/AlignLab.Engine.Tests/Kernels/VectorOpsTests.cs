using System.Runtime.Intrinsics;
using AlignLab.Engine.Kernels;
using static AlignLab.Engine.Tests.Kernels.KernelTestData;

namespace AlignLab.Engine.Tests.Kernels;

public sealed unsafe class VectorOpsTests
{
    [Theory]
    [MemberData(nameof(WidthsAndLengths), MemberType = typeof(KernelTestData))]
    public void Dot_at_every_width_is_within_the_float_sum_bound_of_the_exact_dot_as_is_the_reference(int width, int n)
    {
        RequireWidth(width);
        foreach (var specials in new[] { false, true })
        {
            var x = specials ? FloatsWithSpecials(n, n) : Floats(n, n);
            var y = Floats(n, n + 1000);
            var (exact, magnitude) = ExactDot(x, y);
            fixed (float* px = x, py = y)
            {
                AssertSumClose(exact, magnitude, n, DotAt(width, px, py, n), $"vector {width}");
            }
            AssertSumClose(exact, magnitude, n, VectorOps.Reference.Dot(x, y), "reference");
        }
    }

    [Fact]
    public void Dot_uses_the_widest_accelerated_width()
    {
        var x = Floats(1000, 1);
        var y = Floats(1000, 2);
        var widest = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;
        fixed (float* px = x, py = y)
        {
            AssertSameFloat(DotAt(widest, px, py, x.Length), VectorOps.Dot(x, y), "public Dot");
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndLengths), MemberType = typeof(KernelTestData))]
    public void Add_scale_and_axpy_match_the_reference_bit_for_bit(int width, int n)
    {
        var x = FloatsWithSpecials(n, n);
        var y = FloatsWithSpecials(n, n + 7, infinity: false);
        var expected = new float[n];
        var body = new ElementwiseCase(x, y);
        Widths.Run(width, body);

        VectorOps.Reference.Add(x, y, expected);
        AssertSameFloats(expected, body.Sum, "add");
        VectorOps.Reference.Scale(x, -1.7f, expected);
        AssertSameFloats(expected, body.Scaled, "scale");
        y.CopyTo(expected, 0);
        VectorOps.Reference.Axpy(0.3f, x, expected);
        AssertSameFloats(expected, body.Axpy, "axpy");
    }

    [Fact]
    public void Public_entry_points_work_in_place_and_match_the_reference()
    {
        var x = Floats(100, 3);
        var y = Floats(100, 4);
        var expected = new float[100];
        VectorOps.Reference.Add(x, y, expected);
        var inPlace = (float[])x.Clone();
        VectorOps.Add(inPlace, y, inPlace);
        AssertSameFloats(expected, inPlace, "add in place");

        VectorOps.Reference.Scale(x, 2.5f, expected);
        inPlace = (float[])x.Clone();
        VectorOps.Scale(inPlace, 2.5f, inPlace);
        AssertSameFloats(expected, inPlace, "scale in place");

        y.CopyTo(expected, 0);
        VectorOps.Reference.Axpy(-0.5f, x, expected);
        var z = (float[])y.Clone();
        VectorOps.Axpy(-0.5f, x, z);
        AssertSameFloats(expected, z, "axpy");
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => VectorOps.Dot(new float[3], new float[4]));
        Assert.Throws<ArgumentException>(() => VectorOps.Add(new float[3], new float[3], new float[2]));
        Assert.Throws<ArgumentException>(() => VectorOps.Axpy(1, new float[3], new float[4]));
    }

    private static float DotAt(int width, float* x, float* y, int n) => width switch
    {
        512 => VectorOps.Dot<Simd512, Vector512<float>, Vector512<int>>(x, y, n),
        256 => VectorOps.Dot<Simd256, Vector256<float>, Vector256<int>>(x, y, n),
        _ => VectorOps.Dot<Simd128, Vector128<float>, Vector128<int>>(x, y, n),
    };

    private sealed class ElementwiseCase(float[] x, float[] y) : IWidthCase
    {
        public float[] Sum { get; } = new float[x.Length];
        public float[] Scaled { get; } = new float[x.Length];
        public float[] Axpy { get; } = (float[])y.Clone();

        public void Run<TS, TF, TI>()
            where TS : struct, ISimd<TF, TI>
            where TF : struct
            where TI : struct
        {
            fixed (float* px = x, py = y, ps = Sum, pc = Scaled, pa = Axpy)
            {
                VectorOps.Add<TS, TF, TI>(px, py, ps, x.Length);
                VectorOps.Scale<TS, TF, TI>(px, -1.7f, pc, x.Length);
                VectorOps.Axpy<TS, TF, TI>(0.3f, px, pa, x.Length);
            }
        }
    }
}
