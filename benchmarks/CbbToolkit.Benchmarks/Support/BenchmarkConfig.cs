using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace CbbToolkit.Benchmarks.Support;

/// <summary>The columns docs/performance.md reports: median and mean next to allocations, for every suite.</summary>
internal static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddColumn(StatisticColumn.Median, StatisticColumn.P95);
}
