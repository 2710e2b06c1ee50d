using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.Quantization;

namespace AlignLab.Engine.Kernels;

/// <summary>
/// Kernels over one stored weight row with float activations (llama.cpp's strategy "a"): each block is
/// dequantized in registers, bit-identical to <see cref="GgmlDequantizer"/>, and multiplied into float
/// accumulators with FMA. Exact up to float summation order, so this is the accurate path (and the
/// one batched matmul builds on); <see cref="QuantizedDot"/> is the faster integer path for one token.
/// Supports F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K and Q6_K.
/// </summary>
public static unsafe class WeightRow
{
    public static bool IsSupported(GgmlType type) => type is GgmlType.F32 or GgmlType.F16 or GgmlType.BF16
        or GgmlType.Q4_0 or GgmlType.Q4_1 or GgmlType.Q5_0 or GgmlType.Q5_1 or GgmlType.Q8_0
        or GgmlType.Q2_K or GgmlType.Q3_K or GgmlType.Q4_K or GgmlType.Q5_K or GgmlType.Q6_K;

    /// <summary>dot(row, x) where <paramref name="row"/> holds x.Length values of <paramref name="type"/>.</summary>
    public static float Dot(GgmlType type, ReadOnlySpan<byte> row, ReadOnlySpan<float> x)
    {
        CheckRow(type, row.Length, x.Length);
        float result = 0;
        var py = &result;
        fixed (byte* pw = row)
        fixed (float* px = x)
        {
            if (Simd512.IsHardwareAccelerated)
            {
                DotRows<Simd512, Vector512<float>, Vector512<int>>(type, pw, 0, 0, 1, px, x.Length, py);
            }
            else if (Simd256.IsHardwareAccelerated)
            {
                DotRows<Simd256, Vector256<float>, Vector256<int>>(type, pw, 0, 0, 1, px, x.Length, py);
            }
            else if (Simd128.IsHardwareAccelerated)
            {
                DotRows<Simd128, Vector128<float>, Vector128<int>>(type, pw, 0, 0, 1, px, x.Length, py);
            }
            else
            {
                return Reference.Dot(type, row, x);
            }
        }
        return result;
    }

    /// <summary>Dequantizes one row, bit-identical to <see cref="GgmlDequantizer.Dequantize(GgmlType, ReadOnlySpan{byte}, Span{float})"/>.</summary>
    public static void Dequantize(GgmlType type, ReadOnlySpan<byte> row, Span<float> destination)
    {
        CheckRow(type, row.Length, destination.Length);
        fixed (byte* pw = row)
        fixed (float* pd = destination)
        {
            if (Simd512.IsHardwareAccelerated)
            {
                DequantizeRows<Simd512, Vector512<float>, Vector512<int>>(type, pw, 0, 0, 1, destination.Length, pd);
            }
            else if (Simd256.IsHardwareAccelerated)
            {
                DequantizeRows<Simd256, Vector256<float>, Vector256<int>>(type, pw, 0, 0, 1, destination.Length, pd);
            }
            else if (Simd128.IsHardwareAccelerated)
            {
                DequantizeRows<Simd128, Vector128<float>, Vector128<int>>(type, pw, 0, 0, 1, destination.Length, pd);
            }
            else
            {
                GgmlDequantizer.Dequantize(type, row, destination);
            }
        }
    }

    /// <summary>Bytes of one row of <paramref name="columns"/> values, checking the type is supported here.</summary>
    internal static long RowBytes(GgmlType type, int columns)
    {
        if (!IsSupported(type))
        {
            throw new NotSupportedException($"no kernel for ggml type {type}");
        }
        return GgmlTypeInfo.Get(type).RowByteSize(columns);
    }

    internal static void CheckRow(GgmlType type, int rowBytes, int columns)
    {
        var expected = RowBytes(type, columns);
        if (rowBytes != expected)
        {
            throw new ArgumentException($"{columns} {type} values take {expected} bytes, but the row has {rowBytes}", "row");
        }
    }

    /// <summary>y[r] = dot(row r, x) for r in [first, end); rows are <paramref name="rowBytes"/> apart.</summary>
    internal static void DotRows<TS, TF, TI>(GgmlType type, byte* weights, long rowBytes, int first, int end, float* x, int columns, float* y)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var visitor = new DotRowsVisitor<TS, TF, TI>
        {
            Weights = weights, RowBytes = rowBytes, First = first, End = end, X = x, Columns = columns, Y = y,
        };
        Accept(type, ref visitor);
    }

    /// <summary>Dequantizes rows [first, end) into consecutive rows of <paramref name="destination"/>.</summary>
    internal static void DequantizeRows<TS, TF, TI>(GgmlType type, byte* weights, long rowBytes, int first, int end, int columns, float* destination)
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var visitor = new DequantizeRowsVisitor<TS, TF, TI>
        {
            Weights = weights, RowBytes = rowBytes, First = first, End = end, Columns = columns, Destination = destination,
        };
        Accept(type, ref visitor);
    }

    /// <summary>Σ w[i]·x[i] over a plain row, four accumulators deep (see <see cref="VectorOps.Dot"/>).</summary>
    internal static float DotElements<TL, TS, TF, TI>(byte* w, float* x, int n)
        where TL : struct, IElementLoader
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var c = TS.Count;
        var stride = c * TL.ElementBytes;
        TF a0 = TS.Zero, a1 = TS.Zero, a2 = TS.Zero, a3 = TS.Zero;
        var i = 0;
        for (; i <= n - 4 * c; i += 4 * c, w += 4 * stride)
        {
            a0 = TS.MultiplyAdd(TL.Load<TS, TF, TI>(w), TS.Load(x + i), a0);
            a1 = TS.MultiplyAdd(TL.Load<TS, TF, TI>(w + stride), TS.Load(x + i + c), a1);
            a2 = TS.MultiplyAdd(TL.Load<TS, TF, TI>(w + 2 * stride), TS.Load(x + i + 2 * c), a2);
            a3 = TS.MultiplyAdd(TL.Load<TS, TF, TI>(w + 3 * stride), TS.Load(x + i + 3 * c), a3);
        }
        for (; i <= n - c; i += c, w += stride)
        {
            a0 = TS.MultiplyAdd(TL.Load<TS, TF, TI>(w), TS.Load(x + i), a0);
        }
        var sum = TS.Sum(TS.Add(TS.Add(a0, a1), TS.Add(a2, a3)));
        for (; i < n; i++, w += TL.ElementBytes)
        {
            sum += TL.LoadScalar(w) * x[i];
        }
        return sum;
    }

    private static float DotBlocks<TC, TS, TF, TI>(byte* row, float* x, int n)
        where TC : struct, IWeightCodec
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var sink = new DotSink<TS, TF, TI> { X = x, Acc0 = TS.Zero, Acc1 = TS.Zero };
        var blocks = n / TC.BlockElements;
        for (var b = 0; b < blocks; b++, row += TC.BlockBytes, sink.X += TC.BlockElements)
        {
            TC.Decode<TS, TF, TI, DotSink<TS, TF, TI>>(row, ref sink);
        }
        return TS.Sum(TS.Add(sink.Acc0, sink.Acc1));
    }

    internal static void DequantizeElements<TL, TS, TF, TI>(byte* w, float* destination, int n)
        where TL : struct, IElementLoader
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var i = 0;
        for (; i <= n - TS.Count; i += TS.Count, w += TS.Count * TL.ElementBytes)
        {
            TS.Store(destination + i, TL.Load<TS, TF, TI>(w));
        }
        for (; i < n; i++, w += TL.ElementBytes)
        {
            destination[i] = TL.LoadScalar(w);
        }
    }

    private static void DequantizeBlocks<TC, TS, TF, TI>(byte* row, float* destination, int n)
        where TC : struct, IWeightCodec
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        var sink = new StoreSink<TS, TF, TI> { Destination = destination };
        var blocks = n / TC.BlockElements;
        for (var b = 0; b < blocks; b++, row += TC.BlockBytes, sink.Destination += TC.BlockElements)
        {
            TC.Decode<TS, TF, TI, StoreSink<TS, TF, TI>>(row, ref sink);
        }
    }

    // The one place a ggml type becomes a codec or loader; each operation is a visitor so the
    // JIT specialises it per type without a second switch.
    private static void Accept<TV>(GgmlType type, ref TV visitor)
        where TV : struct, IWeightVisitor
    {
        switch (type)
        {
            case GgmlType.F32: visitor.VisitElements<F32Loader>(); break;
            case GgmlType.F16: visitor.VisitElements<F16Loader>(); break;
            case GgmlType.BF16: visitor.VisitElements<BF16Loader>(); break;
            case GgmlType.Q4_0: visitor.VisitBlocks<Q4_0Codec>(); break;
            case GgmlType.Q4_1: visitor.VisitBlocks<Q4_1Codec>(); break;
            case GgmlType.Q5_0: visitor.VisitBlocks<Q5_0Codec>(); break;
            case GgmlType.Q5_1: visitor.VisitBlocks<Q5_1Codec>(); break;
            case GgmlType.Q8_0: visitor.VisitBlocks<Q8_0Codec>(); break;
            case GgmlType.Q2_K: visitor.VisitBlocks<Q2_KCodec>(); break;
            case GgmlType.Q3_K: visitor.VisitBlocks<Q3_KCodec>(); break;
            case GgmlType.Q4_K: visitor.VisitBlocks<Q4_KCodec>(); break;
            case GgmlType.Q5_K: visitor.VisitBlocks<Q5_KCodec>(); break;
            case GgmlType.Q6_K: visitor.VisitBlocks<Q6_KCodec>(); break;
            default: throw new NotSupportedException($"no kernel for ggml type {type}");
        }
    }

    private interface IWeightVisitor
    {
        void VisitElements<TL>() where TL : struct, IElementLoader;
        void VisitBlocks<TC>() where TC : struct, IWeightCodec;
    }

    private struct DotRowsVisitor<TS, TF, TI> : IWeightVisitor
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        public byte* Weights;
        public long RowBytes;
        public int First, End, Columns;
        public float* X, Y;

        public readonly void VisitElements<TL>() where TL : struct, IElementLoader
        {
            for (var r = First; r < End; r++)
            {
                Y[r] = DotElements<TL, TS, TF, TI>(Weights + r * RowBytes, X, Columns);
            }
        }

        public readonly void VisitBlocks<TC>() where TC : struct, IWeightCodec
        {
            for (var r = First; r < End; r++)
            {
                Y[r] = DotBlocks<TC, TS, TF, TI>(Weights + r * RowBytes, X, Columns);
            }
        }
    }

    private struct DequantizeRowsVisitor<TS, TF, TI> : IWeightVisitor
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        public byte* Weights;
        public long RowBytes;
        public int First, End, Columns;
        public float* Destination;

        public readonly void VisitElements<TL>() where TL : struct, IElementLoader
        {
            for (var r = First; r < End; r++)
            {
                DequantizeElements<TL, TS, TF, TI>(Weights + r * RowBytes, Destination + (long)(r - First) * Columns, Columns);
            }
        }

        public readonly void VisitBlocks<TC>() where TC : struct, IWeightCodec
        {
            for (var r = First; r < End; r++)
            {
                DequantizeBlocks<TC, TS, TF, TI>(Weights + r * RowBytes, Destination + (long)(r - First) * Columns, Columns);
            }
        }
    }

    // Two accumulators, swapped after every FMA, so consecutive lanes of a block do not wait on each other.
    private struct DotSink<TS, TF, TI> : ILaneSink<TF>
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        public float* X;
        public TF Acc0, Acc1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Accept(int index, TF values)
        {
            var next = TS.MultiplyAdd(values, TS.Load(X + index), Acc0);
            Acc0 = Acc1;
            Acc1 = next;
        }
    }

    private struct StoreSink<TS, TF, TI> : ILaneSink<TF>
        where TS : struct, ISimd<TF, TI>
        where TF : struct
        where TI : struct
    {
        public float* Destination;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Accept(int index, TF values) => TS.Store(Destination + index, values);
    }

    /// <summary>
    /// The scalar twin: the row dequantized by <see cref="GgmlDequantizer"/> (256 values at a time, on
    /// the stack) and multiplied into one float sum in index order.
    /// </summary>
    public static class Reference
    {
        public static float Dot(GgmlType type, ReadOnlySpan<byte> row, ReadOnlySpan<float> x)
        {
            CheckRow(type, row.Length, x.Length);
            var info = GgmlTypeInfo.Get(type);
            Span<float> w = stackalloc float[256];
            var sum = 0f;
            for (var start = 0; start < x.Length; start += w.Length)
            {
                var chunk = w[..Math.Min(w.Length, x.Length - start)];
                var bytes = row.Slice(start / info.BlockSize * info.BytesPerBlock, chunk.Length / info.BlockSize * info.BytesPerBlock);
                GgmlDequantizer.Dequantize(type, bytes, chunk);
                for (var i = 0; i < chunk.Length; i++)
                {
                    sum += chunk[i] * x[start + i];
                }
            }
            return sum;
        }
    }
}
