namespace ChaosModular.Web;

/// <summary>
/// The environment scripts/bench.sh runs Web in: Production's pipeline (exception page, no developer tools) with the
/// demo seed and a signing key made on first start (appsettings.Benchmark.json), plus the bare page it measures against.
/// </summary>
public static class BenchmarkEnvironment
{
    public const string Name = "Benchmark";

    public const string BarePage = "/Bench/Bare";
}
