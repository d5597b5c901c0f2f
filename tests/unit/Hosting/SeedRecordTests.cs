using ChaosModular.Modules.Infrastructure.Persistence;
using Hangfire;
using Microsoft.Extensions.Configuration;

namespace ChaosModular.UnitTests.Hosting;

/// <summary>
/// Seeds checked, not re-run (README, Performance: cold start): on PostgreSQL a start skips a module's seeders when they
/// already ran on the database with the same build and inputs, and runs them again when a <c>Seed</c> setting or a
/// seeder's inputs change or when the last seeding failed.
/// </summary>
public sealed class SeedRecordTests
{
    /// <summary>A seeder of the Notifications module that counts its runs; its inputs and failure are set by the test.</summary>
    private sealed class CountingSeeder : IModuleSeeder
    {
        public static int Runs;
        public static string Inputs = "one";
        public static bool Fail;

        public Task SeedAsync(CancellationToken cancellationToken)
        {
            Runs++;
            return Fail ? throw new InvalidOperationException("The seed's source is unavailable.") : Task.CompletedTask;
        }

        public ValueTask<string?> InputsAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(Inputs);
    }

    private static void AddCountingSeeder(IServiceCollection services) => services.AddModuleSeeder<CountingSeeder>("notifications");

    private static int Start(string database, params (string Key, string Value)[] settings)
    {
        using var factory = new SharedPostgresPortalFactory(database) { TestServices = AddCountingSeeder };
        foreach (var (key, value) in settings)
        {
            factory.With(key, value);
        }
        _ = factory.Services;
        return CountingSeeder.Runs;
    }

    [Fact]
    public async Task A_restart_skips_seeders_that_already_ran_and_runs_them_again_when_their_inputs_change()
    {
        (CountingSeeder.Runs, CountingSeeder.Inputs, CountingSeeder.Fail) = (0, "one", false);
        await using var first = new PostgresPortalFactory { TestServices = AddCountingSeeder };
        _ = first.Services;
        Assert.Equal(1, CountingSeeder.Runs);
        // The demo data the first start seeded is there.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await first.CreatePortalClient().GetAsync(new Uri("/sign-in", UriKind.Relative))).StatusCode);
        var recorded = Recorded(first);
        Assert.Contains("notifications", recorded.Keys);
        Assert.Contains("accounts", recorded.Keys);
        Assert.Contains("catalog", recorded.Keys);

        Assert.Equal(1, Start(first.DatabaseName));

        CountingSeeder.Inputs = "two";
        Assert.Equal(2, Start(first.DatabaseName));
        Assert.Equal(2, Start(first.DatabaseName));

        Assert.Equal(3, Start(first.DatabaseName, ("Seed:DemoMemberEmail", "another.member@chaosmodular.local")));
        Assert.Equal(3, Start(first.DatabaseName, ("Seed:DemoMemberEmail", "another.member@chaosmodular.local")));
        // A password is not part of the record (and a changed one does not reset an existing user's anyway).
        Assert.Equal(3, Start(first.DatabaseName, ("Seed:DemoMemberEmail", "another.member@chaosmodular.local"), ("Seed:DemoMemberPassword", "Changed#2026pw")));
    }

    [Fact]
    public async Task A_seeding_that_failed_is_run_again_at_the_next_start()
    {
        (CountingSeeder.Runs, CountingSeeder.Inputs, CountingSeeder.Fail) = (0, "one", true);
        await using var first = new PostgresPortalFactory { TestServices = AddCountingSeeder };
        Assert.ThrowsAny<Exception>(() => first.Services);
        Assert.Equal(1, CountingSeeder.Runs);

        CountingSeeder.Fail = false;
        Assert.Equal(2, Start(first.DatabaseName));
        Assert.Equal(2, Start(first.DatabaseName));
    }

    [Fact]
    public void The_catalog_file_is_an_input_of_the_catalog_seed()
    {
        (CountingSeeder.Runs, CountingSeeder.Inputs, CountingSeeder.Fail) = (0, "one", false);
        using var first = new PostgresPortalFactory { TestServices = AddCountingSeeder };
        _ = first.Services;
        var before = Recorded(first)["catalog"];
        var copy = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.json");
        var original = Path.Combine(AppContext.BaseDirectory, first.Services.GetRequiredService<IConfiguration>()["Catalog:DataFile"] ?? "catalog.json");
        File.Copy(original, copy);
        try
        {
            using (var same = new SharedPostgresPortalFactory(first.DatabaseName))
            {
                same.With("Catalog:DataFile", copy);
                _ = same.Services;
                // Another path to the same contents is another input: the loader runs (and finds the version loaded).
                Assert.NotEqual(before, Recorded(same)["catalog"]);
            }
            var afterCopy = RecordedIn(first.DatabaseName)["catalog"];
            File.AppendAllText(copy, "\n");
            using var edited = new SharedPostgresPortalFactory(first.DatabaseName);
            edited.With("Catalog:DataFile", copy);
            _ = edited.Services;
            Assert.NotEqual(afterCopy, Recorded(edited)["catalog"]);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    private static Dictionary<string, string> Recorded(PortalFactory factory)
    {
        using var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetAllEntriesFromHash(SeedRecord.HashKey);
    }

    private static Dictionary<string, string> RecordedIn(string database)
    {
        using var factory = new SharedPostgresPortalFactory(database);
        return Recorded(factory);
    }
}
