using BenchmarkDotNet.Running;

// Runs the benchmarks named on the command line (BenchmarkDotNet's --filter syntax).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
