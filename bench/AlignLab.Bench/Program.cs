using AlignLab.Bench;
using BenchmarkDotNet.Running;

// "tokenizer-throughput [PASSES]" runs the console tokenizer benchmark (with its node reference);
// "smollm-gguf OUT TYPE [perturb=SCALE]" writes the engine and TDS benchmarks' models (bench/run-*-bench.sh);
// anything else goes to BenchmarkDotNet (its --filter syntax).
if (args.Length > 0 && args[0] == "tokenizer-throughput")
{
    return TokenizerThroughput.Run(args);
}
if (args.Length > 0 && args[0] == "profile")
{
    return AlignLab.Bench.Models.Profile.Run(args);
}
if (args.Length > 0 && args[0] == "smollm-gguf")
{
    return AlignLab.Bench.Models.SmolLmGguf.Run(args);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
