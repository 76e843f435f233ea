using BenchmarkDotNet.Running;
using CbbToolkit.Benchmarks.Support;

// Pick suites with --filter (e.g. --filter '*Converter*'); benchmarks/run.sh runs them all.
var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, BenchmarkConfig.Create());
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
