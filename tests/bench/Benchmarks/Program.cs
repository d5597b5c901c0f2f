using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(ChaosModular.Benchmarks.ProrationBenchmarks).Assembly).Run(args);
