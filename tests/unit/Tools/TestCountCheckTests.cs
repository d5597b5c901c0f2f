using System.Diagnostics;

namespace ChaosModular.UnitTests.Tools;

/// <summary>
/// The test command's closing check (scripts/check-test-counts.py): a run with a skipped test, or with fewer tests than a
/// suite's floor in tests/test-floor.txt, or with a suite missing, fails; a full run passes and prints the line CI reads.
/// </summary>
public sealed class TestCountCheckTests : IDisposable
{
    private readonly string _results = Directory.CreateTempSubdirectory("chaos-trx-").FullName;

    public void Dispose() => Directory.Delete(_results, recursive: true);

    [Fact]
    public void A_full_run_passes_and_prints_the_counts()
    {
        Trx("unit", passed: 950);
        Trx("e2e", passed: 31);

        var (exit, output) = Check(Floor(unit: 950, e2e: 31));

        Assert.Equal(0, exit);
        Assert.Equal("Tests: 981 passed, 0 failed, 0 skipped", output.Trim());
    }

    [Fact]
    public void A_suites_shards_count_together_and_a_missing_shard_falls_below_the_floor()
    {
        Trx("unit-a", passed: 600);
        Trx("unit-b", passed: 400);
        Trx("e2e", passed: 30);

        var (exit, output) = Check(Floor(unit: 1000, e2e: 30));

        Assert.Equal(0, exit);
        Assert.Equal("Tests: 1030 passed, 0 failed, 0 skipped", output.Trim());

        File.Delete(Path.Combine(_results, "unit-b.trx"));
        (exit, output) = Check(Floor(unit: 1000, e2e: 30));

        Assert.Equal(1, exit);
        Assert.Contains("unit: 600 tests ran, fewer than the floor of 1000", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_skipped_test_fails_the_run()
    {
        Trx("unit", passed: 949, skipped: 1);
        Trx("e2e", passed: 31);

        var (exit, output) = Check(Floor(unit: 900, e2e: 30));

        Assert.Equal(1, exit);
        Assert.Contains("Tests: 980 passed, 0 failed, 1 skipped", output, StringComparison.Ordinal);
        Assert.Contains("unit: 1 test(s) skipped", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Fewer_tests_than_a_floor_or_a_missing_suite_fails_the_run()
    {
        Trx("unit", passed: 899);

        var (exit, output) = Check(Floor(unit: 900, e2e: 30));

        Assert.Equal(1, exit);
        Assert.Contains("unit: 899 tests ran, fewer than the floor of 900", output, StringComparison.Ordinal);
        Assert.Contains("e2e: no results (expected at least 30 tests)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_test_fails_the_run()
    {
        Trx("unit", passed: 949, failed: 1);
        Trx("e2e", passed: 31);

        var (exit, output) = Check(Floor(unit: 900, e2e: 30));

        Assert.Equal((1, "Tests: 980 passed, 1 failed, 0 skipped"), (exit, output.Trim()));
    }

    [Fact]
    public void The_repositorys_floors_name_both_suites()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "tests/test-floor.txt"))
            .Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
        Assert.Equal(["unit", "e2e"], lines);
    }

    private void Trx(string suite, int passed, int failed = 0, int skipped = 0) => File.WriteAllText(Path.Combine(_results, $"{suite}.trx"),
        $"""
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <ResultSummary outcome="Completed">
            <Counters total="{passed + failed + skipped}" executed="{passed + failed}" passed="{passed}" failed="{failed}" error="0" timeout="0" aborted="0" inconclusive="0" notExecuted="{skipped}" />
          </ResultSummary>
        </TestRun>
        """);

    private string Floor(int unit, int e2e)
    {
        var path = Path.Combine(_results, "floor.txt");
        File.WriteAllText(path, $"# floors\nunit {unit}\ne2e {e2e}\n");
        return path;
    }

    private (int Exit, string Output) Check(string floorFile)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "scripts/check-test-counts.py"));
        start.ArgumentList.Add(_results);
        start.ArgumentList.Add(floorFile);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
