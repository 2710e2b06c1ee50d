using AlignLab.Bench;
using BenchmarkDotNet.Running;

// "tokenizer-throughput [PASSES]" runs the console tokenizer benchmark (with its node reference);
// anything else goes to BenchmarkDotNet (its --filter syntax).
if (args.Length > 0 && args[0] == "tokenizer-throughput")
{
    return TokenizerThroughput.Run(args);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
