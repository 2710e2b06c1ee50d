using AlignLab.Engine.Formats.Gguf;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AlignLab.Bench.Kernels;

/// <summary>
/// A short job (the kernels are steady; many cases) plus GFLOP/s and weight GB/s columns computed
/// from each case's Shape ("rows x columns"), Type and Tokens parameters.
/// </summary>
public sealed class KernelBenchConfig : ManualConfig
{
    public KernelBenchConfig()
    {
        AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(8).WithLaunchCount(1));
        AddColumn(new ThroughputColumn(gigaFlops: true), new ThroughputColumn(gigaFlops: false));
    }

    /// <summary>(rows, columns) from "49152x576".</summary>
    public static (int Rows, int Columns) Parse(string shape)
    {
        var parts = shape.Split('x');
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class ThroughputColumn(bool gigaFlops) : IColumn
    {
        public string Id => gigaFlops ? "GFLOPs" : "WeightGBs";
        public string ColumnName => gigaFlops ? "GFLOP/s" : "weights GB/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => gigaFlops ? 0 : 1;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => gigaFlops ? "2·rows·columns·tokens / mean time" : "weight matrix bytes / mean time (each weight is read once per call)";

        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (mean is null || benchmarkCase.Parameters["Shape"] is not string shape || benchmarkCase.Parameters["Type"] is not GgmlType type)
            {
                return "-";
            }
            var (rows, columns) = Parse(shape);
            var tokens = benchmarkCase.Parameters.Items.Any(p => p.Name == "Tokens") ? (int)benchmarkCase.Parameters["Tokens"] : 1;
            var amount = gigaFlops ? 2.0 * rows * columns * tokens : (double)GgmlTypeInfo.Get(type).RowByteSize(columns) * rows;
            return (amount / mean.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture); // per ns = giga per s
        }
    }
}
