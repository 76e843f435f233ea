using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace CbbToolkit.Benchmarks.Support;

/// <summary>
/// The columns docs/performance.md reports (median and mean next to allocations) for every suite, and a build time
/// limit that a loaded shared machine can meet (the default 2 minutes is not enough there).
/// </summary>
internal static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
        .WithBuildTimeout(TimeSpan.FromMinutes(15));
}
