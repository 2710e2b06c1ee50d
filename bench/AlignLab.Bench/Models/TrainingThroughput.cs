using System.Diagnostics;
using System.Globalization;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Models;
using AlignLab.Engine.Training;
using AlignLab.Organism;

namespace AlignLab.Bench.Models;

/// <summary>
/// "train-throughput [THREADS] [STEPS]": training speed at the organism demo's size
/// (<see cref="OrganismSettings.Demo"/>: its model shape, batch and row length), on random token
/// documents of 40–400 tokens packed as in a real run. Two untimed warm-up steps, then STEPS (default
/// 10) timed steps on THREADS threads (default: all cores). Reports non-padding tokens per second and
/// the achieved GFLOP/s: 6 FLOPs per matrix parameter per token slot (forward 2, backward 4: the
/// tied head included) plus attention as the trainer computes it, full T×T score and output products
/// per row and head (4·T²·hd forward, 8·T²·hd backward). Compare with the machine's peak (about 440
/// GFLOP/s FP32 on 2 cores for the reference machine).
/// </summary>
internal static class TrainingThroughput
{
    public static int Run(string[] args)
    {
        var threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
        var steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        var demo = OrganismSettings.Demo.Base;
        var config = demo.ModelConfig(demo.VocabSize);
        var options = demo.TrainingOptions() with { Steps = steps + 2, Threads = threads };
        using var trainer = Trainer.Create(config, options, RandomDocuments(config.VocabSize));

        trainer.TrainStep();
        trainer.TrainStep();
        var (tokens, slots) = (0L, 0L);
        var watch = Stopwatch.StartNew();
        while (!trainer.IsFinished)
        {
            var step = trainer.TrainStep();
            tokens += step.Tokens;
            slots += (long)options.BatchSize * options.SequenceLength;
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var flopsPerStep = FlopsPerStep(config, options);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $$"""
            train-throughput: organism demo size: {{config.LayerCount}} layers, hidden {{config.HiddenSize}}, {{config.HeadCount}} heads / {{config.KvHeadCount}} KV of {{config.HeadDim}}, FFN {{config.IntermediateSize}}, vocabulary {{config.VocabSize}}, {{trainer.Weights.Count:N0}} parameters
            batch:     {{options.BatchSize}} rows × {{options.SequenceLength}} tokens, {{threads}} threads
            timed:     {{steps}} steps after 2 warm-up steps, {{seconds:0.00}} s ({{seconds / steps * 1000:0}} ms per step)
            tokens/s:  {{tokens / seconds:N0}} (non-padding; {{slots / seconds:N0}} token slots/s)
            GFLOP/s:   {{flopsPerStep * steps / seconds / 1e9:0.0}} ({{flopsPerStep / 1e9:0.00}} GFLOP per step; attention counted as computed, full T×T)
            """));
        return 0;
    }

    /// <summary>Floating-point operations of one step as the trainer performs them (multiply-add = 2).</summary>
    internal static double FlopsPerStep(ModelConfig c, TrainingOptions o)
    {
        var slots = (double)o.BatchSize * o.SequenceLength;
        var width = c.QueryWidth + 2 * c.KvWidth;
        var matrixParameters = (double)c.LayerCount * ((double)width * c.HiddenSize + (double)c.HiddenSize * c.QueryWidth + 3.0 * c.IntermediateSize * c.HiddenSize)
            + (double)c.VocabSize * c.HiddenSize;
        var attention = 12.0 * o.BatchSize * c.HeadCount * c.LayerCount * o.SequenceLength * (double)o.SequenceLength * c.HeadDim;
        return 6 * matrixParameters * slots + attention;
    }

    /// <summary>Documents of 40–400 random tokens, enough for several epochs of rows.</summary>
    private static List<TrainingSequence> RandomDocuments(int vocab)
    {
        var random = new SamplingRandom(7);
        return [.. Enumerable.Range(0, 2000).Select(_ =>
            new TrainingSequence([.. Enumerable.Range(0, 40 + (int)(random.NextUInt64() % 361)).Select(_ => (int)(random.NextUInt64() % (ulong)vocab))]))];
    }
}
