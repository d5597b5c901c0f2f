using System.Net;
using ChaosModular.Billing.Data;
using ChaosModular.Modules.Infrastructure.Caching;
using ChaosModular.Organizations.Contracts;
using ChaosModular.Organizations.Data;
using ChaosModular.Organizations.Domain;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.Subscriptions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ChaosModular.UnitTests.Performance;

/// <summary>
/// Web on PostgreSQL with the page data cache on (as in production; the other test hosts turn it off so their command
/// counts do not depend on whether the change listener has connected yet), every module context's commands counted, a
/// clock that moves only when told, and the catalog's version check and the administrator role remembered for an hour.
/// </summary>
public sealed class CachingPostgresPortalFactory : PostgresPortalFactory
{
    public CachingPostgresPortalFactory()
    {
        With("Caching:PageData", "true");
        With("Caching:ListenerCheckSeconds", "1");
        // Long enough for the test to see Web not listening after its connection is cut.
        With("Caching:ListenerRetrySeconds", "5");
        With("Catalog:RefreshSeconds", "3600");
        With("Organizations:AdministratorRoleSeconds", "3600");
        Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        TestServices = SqlCommandCounter.AddTo;
    }

    public SqlCommandCounter Counter => Services.GetRequiredService<SqlCommandCounter>();

    public DataVersions Versions => Services.GetRequiredService<DataVersions>();

    public FakeTimeProvider FakeClock => (FakeTimeProvider)Clock!;

    /// <summary>Until the change listener has connected and listens.</summary>
    public Task ListeningAsync() =>
        Eventually.Until<object>(() => Task.FromResult<object?>(Versions.Listening ? true : null), TimeSpan.FromSeconds(20), "the data change listener to listen");

    /// <summary>Runs SQL on a connection of its own, as another process (the Worker, a script) would.</summary>
    public async Task ExecuteElsewhereAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString(DatabaseName));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// What the page data cache promises a customer: a page viewed again costs no database work beyond the session check, yet
/// every view shows the data as it is: a change made by another process shows on the next views (the database's
/// notification), one made by Web itself on the very next view, and nothing is trusted while Web cannot hear changes.
/// </summary>
public sealed class PageDataCacheTests(CachingPostgresPortalFactory factory) : IClassFixture<CachingPostgresPortalFactory>
{
    /// <summary>The commands of a view that are not the session check (the signed-in account's row in AspNetUsers).</summary>
    private static List<string> PageQueries(IReadOnlyList<RecordedCommand> commands) =>
        [.. commands.Select(c => c.Text).Where(sql => !sql.Contains("\"AspNetUsers\"", StringComparison.Ordinal))];

    private async Task<(string Html, List<string> Queries)> ViewAsync(BillingCustomer customer, string path)
    {
        var (response, commands) = await factory.Counter.RequestAsync(customer.Client.Http, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync(), PageQueries(commands));
    }

    /// <summary>Views <paramref name="path"/> twice and asserts the second view was given what the first one read.</summary>
    private async Task KeptAsync(BillingCustomer customer, string path)
    {
        await ViewAsync(customer, path);
        var again = await ViewAsync(customer, path);
        Assert.True(again.Queries.Count == 0, $"{path} viewed again ran: {string.Join(" | ", again.Queries)}");
    }

    private async Task<(BillingCustomer Customer, Guid Subscription, Guid Invoice, string Number)> CustomerAsync()
    {
        await factory.ListeningAsync();
        var customer = await BillingCustomer.SignUpAsync(factory);
        var subscription = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2);
        await customer.GiveSubscriptionAsync("corona-solo-monthly", "EUR", 1, autoRenew: false, expired: true);
        var invoice = await customer.InvoiceAsync("EUR", 120m);
        return (customer, subscription, invoice.InvoiceId, invoice.Number);
    }

    [Fact]
    public async Task A_page_viewed_again_runs_no_query_beyond_the_session_check_and_shows_the_same()
    {
        var (customer, subscription, invoice, number) = await CustomerAsync();
        // The sign-up's message is shown (and spent) by the first page viewed, so pages are compared after it.
        await customer.Client.GetPageAsync("/account");
        foreach (var path in new[]
                 {
                     "/products", "/products/expired", $"/products/{subscription}", "/billing", "/billing?q=" + number + "&status=Open",
                     $"/billing/invoices/{invoice}/pdf", "/licensing",
                 })
        {
            var first = await ViewAsync(customer, path);
            Assert.NotEmpty(first.Queries);
            var again = await ViewAsync(customer, path);
            Assert.True(again.Queries.Count == 0, $"{path} viewed again ran: {string.Join(" | ", again.Queries)}");
            if (!path.EndsWith("/pdf", StringComparison.Ordinal))
            {
                Assert.Equal(Visible(first.Html), Visible(again.Html));
            }
        }
        // Organization › Users, once the customer administers an organization with a member.
        var member = $"member-{Guid.NewGuid():N}@example.test";
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>();
            var organization = Organization.SetUp(customer.UserId, $"Studio {Guid.NewGuid():N}"[..20], "support-test", DateTime.UtcNow);
            db.Organizations.Add(organization);
            db.Memberships.Add(Membership.Join(organization.Id, customer.UserId, customer.Email, OrganizationRole.Administrator, DateTime.UtcNow));
            db.Memberships.Add(Membership.Join(organization.Id, $"member-{Guid.NewGuid():N}", member, OrganizationRole.Member, DateTime.UtcNow));
            await db.SaveChangesAsync();
        }
        var users = await ViewAsync(customer, "/organization");
        Assert.Contains(member, users.Html, StringComparison.Ordinal);
        Assert.NotEmpty(users.Queries);
        var usersAgain = await ViewAsync(customer, "/organization");
        Assert.True(usersAgain.Queries.Count == 0, $"/organization viewed again ran: {string.Join(" | ", usersAgain.Queries)}");
        Assert.Equal(Visible(users.Html), Visible(usersAgain.Html));

        // Another customer's views are their own: nothing of the first customer's is given to them.
        var other = await BillingCustomer.SignUpAsync(factory);
        var theirs = await ViewAsync(other, "/billing");
        Assert.NotEmpty(theirs.Queries);
        Assert.DoesNotContain(number, theirs.Html, StringComparison.Ordinal);
        var (notFound, _) = await factory.Counter.RequestAsync(other.Client.Http, $"/billing/invoices/{invoice}/pdf");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
    }

    [Fact]
    public async Task A_change_made_by_another_process_shows_on_the_next_views()
    {
        var (customer, _, invoice, number) = await CustomerAsync();
        await KeptAsync(customer, "/billing");

        var renamed = "CACHE-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await factory.ExecuteElsewhereAsync("UPDATE billing.invoices SET \"Number\" = @number WHERE \"Id\" = @id", ("number", renamed), ("id", invoice));

        var html = await Eventually.Until(async () =>
        {
            var view = await ViewAsync(customer, "/billing");
            return view.Html.Contains(renamed, StringComparison.Ordinal) ? view.Html : null;
        }, TimeSpan.FromSeconds(10), "the invoice's new number on Billing");
        Assert.DoesNotContain(number, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_made_by_this_Web_shows_on_the_very_next_view()
    {
        var (customer, subscription, invoice, _) = await CustomerAsync();
        await KeptAsync(customer, "/billing");

        var renamed = "OWN-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BillingDbContext>().Invoices.Where(i => i.Id == invoice)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Number, renamed));
        }
        Assert.Contains(renamed, (await ViewAsync(customer, "/billing")).Html, StringComparison.Ordinal);

        // The same through a page: turning auto-renewal off shows on the product's page at once.
        var details = $"/products/{subscription}";
        var before = await ViewAsync(customer, details);
        Assert.Contains("Disable auto-renewal", before.Html, StringComparison.Ordinal);
        Assert.Empty((await ViewAsync(customer, details)).Queries);
        var token = PortalClient.HiddenFields(before.Html).First(f => f.Key == "__RequestVerificationToken").Value;
        var posted = await customer.Client.SubmitAsync(details + "?handler=AutoRenew",
            new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["on"] = "false" });
        Assert.True(posted.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"auto-renewal off answered {posted.StatusCode}");
        var after = await ViewAsync(customer, details);
        Assert.NotEmpty(after.Queries);
        Assert.Contains("Enable auto-renewal", after.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_is_trusted_while_the_listener_is_down_and_keeping_resumes_when_it_listens_again()
    {
        var (customer, _, invoice, _) = await CustomerAsync();
        await KeptAsync(customer, "/billing");

        // The listener's connection is cut (a database restart, a network fault) and a change is made before it is back.
        await factory.ExecuteElsewhereAsync(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'chaos-data-changes' AND datname = current_database()");
        await Eventually.Until<object>(() => Task.FromResult<object?>(factory.Versions.Listening ? null : true), TimeSpan.FromSeconds(10),
            "Web to notice it no longer listens");
        var renamed = "LOST-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await factory.ExecuteElsewhereAsync("UPDATE billing.invoices SET \"Number\" = @number WHERE \"Id\" = @id", ("number", renamed), ("id", invoice));

        // Not listening: every view reads, and nothing read is kept.
        var down = await ViewAsync(customer, "/billing");
        Assert.Contains(renamed, down.Html, StringComparison.Ordinal);
        Assert.NotEmpty(down.Queries);
        Assert.NotEmpty((await ViewAsync(customer, "/billing")).Queries);
        Assert.False(factory.Versions.Listening, "the listener came back before the views while down were checked");

        await factory.ListeningAsync();
        await KeptAsync(customer, "/billing");
        Assert.Contains(renamed, (await ViewAsync(customer, "/billing")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_added_after_the_listener_connected_gets_the_trigger_and_nothing_kept_before_is_trusted()
    {
        var (customer, _, _, _) = await CustomerAsync();
        await KeptAsync(customer, "/billing");
        var table = "added_" + Guid.NewGuid().ToString("N")[..8];
        await factory.ExecuteElsewhereAsync($"CREATE TABLE billing.{table} (id int)");
        await Eventually.Until(async () =>
        {
            await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString(factory.DatabaseName));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'chaos_data_changed' AND tgrelid = @table::regclass", connection);
            command.Parameters.AddWithValue("table", $"billing.{table}");
            return (long)(await command.ExecuteScalarAsync())! == 1 ? "" : null;
        }, TimeSpan.FromSeconds(15), "the new table's change trigger");
        Assert.NotEmpty((await ViewAsync(customer, "/billing")).Queries);
    }

    [Fact]
    public async Task A_view_in_a_later_minute_is_read_again_so_what_depends_on_the_clock_moves_with_it()
    {
        var (customer, _, _, _) = await CustomerAsync();
        await KeptAsync(customer, "/billing");
        factory.FakeClock.Advance(TimeSpan.FromMinutes(1));
        Assert.NotEmpty((await ViewAsync(customer, "/billing")).Queries);
        Assert.Empty((await ViewAsync(customer, "/billing")).Queries);
    }

    /// <summary>The page without its per-response antiforgery tokens.</summary>
    private static string Visible(string html) =>
        System.Text.RegularExpressions.Regex.Replace(html, "name=\"__RequestVerificationToken\"[^>]*value=\"[^\"]*\"", "token");
}

public sealed class DataVersionsTests
{
    private static DataVersions Listening(params string[] schemas)
    {
        var versions = new DataVersions([.. schemas.Select(s => new TestModule(s))]);
        versions.SetListening(true);
        return versions;
    }

    [Fact]
    public void A_read_stays_valid_until_a_schema_it_read_changes()
    {
        var versions = Listening("billing", "subscriptions", "licensing");
        var before = versions.Take();
        var billingOnly = 1UL << versions.IndexOf("billing");
        versions.Changed("subscriptions");
        Assert.True(versions.Unchanged(before, billingOnly));
        Assert.False(versions.Unchanged(before, billingOnly | (1UL << versions.IndexOf("subscriptions"))));
        versions.Changed("billing");
        Assert.False(versions.Unchanged(before, billingOnly));
    }

    [Fact]
    public void Nothing_is_valid_while_not_listening_nor_after_listening_again_nor_after_an_unknown_schema_changed()
    {
        var versions = Listening("billing");
        var mask = 1UL << versions.IndexOf("billing");
        var before = versions.Take();
        versions.SetListening(false);
        Assert.False(versions.Unchanged(versions.Take(), mask));
        versions.SetListening(true);
        Assert.False(versions.Unchanged(before, mask));
        var now = versions.Take();
        Assert.True(versions.Unchanged(now, mask));
        versions.Changed("hangfire");
        Assert.False(versions.Unchanged(now, mask));
    }

    [Theory]
    [InlineData("SELECT 1", true)]
    [InlineData("  select s.\"Id\" FROM x", true)]
    [InlineData("-- Page rows\n-- tagged\nSELECT * FROM t", true)]
    [InlineData("INSERT INTO t VALUES (1) RETURNING \"Id\"", false)]
    [InlineData("UPDATE t SET a = 1", false)]
    [InlineData("WITH moved AS (UPDATE t SET a = 1 RETURNING *) SELECT * FROM moved", false)]
    [InlineData("SELECTED_THINGS()", false)]
    [InlineData("-- only a comment", false)]
    public void Only_a_plain_select_counts_as_a_read(string sql, bool read) =>
        Assert.Equal(read, DataChangeInterceptor.IsSelect(sql));
}

public sealed class PageDataCacheReadTests
{
    private static (PageDataCache Cache, DataVersions Versions) Listening()
    {
        var versions = new DataVersions([new TestModule("billing"), new TestModule("subscriptions")]);
        versions.SetListening(true);
        var cache = new PageDataCache(versions, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new PageDataCacheOptions()),
            new DataChangeListenerState(true));
        return (cache, versions);
    }

    /// <summary>A read that records a read of billing and waits for <paramref name="release"/>, counting its runs.</summary>
    private static Func<CancellationToken, Task<string?>> Read(DataVersions versions, TaskCompletionSource release, Func<int> run) => async _ =>
    {
        var n = run();
        DataReads.Record(versions, "billing");
        await release.Task;
        return $"read {n}";
    };

    [Fact]
    public async Task Requests_arriving_while_a_key_is_read_wait_for_that_read_instead_of_asking_again()
    {
        var (cache, versions) = Listening();
        var runs = 0;
        var release = new TaskCompletionSource();
        var read = Read(versions, release, () => Interlocked.Increment(ref runs));
        var first = cache.GetOrReadAsync("page", read, CancellationToken.None);
        var others = Enumerable.Range(0, 5).Select(_ => cache.GetOrReadAsync("page", read, CancellationToken.None)).ToList();
        release.SetResult();
        Assert.Equal("read 1", await first);
        Assert.All(await Task.WhenAll(others), r => Assert.Equal("read 1", r));
        Assert.Equal(1, runs);
        Assert.Equal("read 1", await cache.GetOrReadAsync("page", read, CancellationToken.None));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_request_after_a_change_does_not_take_a_read_begun_before_it_nor_does_that_read_stay()
    {
        var (cache, versions) = Listening();
        var runs = 0;
        var release = new TaskCompletionSource();
        var read = Read(versions, release, () => Interlocked.Increment(ref runs));
        var before = cache.GetOrReadAsync("page", read, CancellationToken.None);
        versions.Changed("billing");
        var after = cache.GetOrReadAsync("page", read, CancellationToken.None);
        release.SetResult();
        Assert.Equal("read 1", await before);
        Assert.Equal("read 2", await after);
        Assert.Equal(2, runs);
        Assert.Equal("read 2", await cache.GetOrReadAsync("page", read, CancellationToken.None));
        Assert.Equal(2, runs);
    }
}

/// <summary>A module that is only a name (a schema), for the cache's rules.</summary>
internal sealed record TestModule(string Name) : ChaosModular.Modules.Infrastructure.IModule
{
    public Type DbContextType => typeof(object);

    public void Register(IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration) { }
}

/// <summary>
/// What the interceptor on a module context records, on a context of its own (SQLite in memory), without a listener: a
/// page shown right after this process's own change must not depend on the database's notification arriving first.
/// </summary>
public sealed class DataChangeInterceptorTests : IDisposable
{
    private sealed class Thing
    {
        public int Id { get; set; }
        public string Name { get; set; } = "";
    }

    private sealed class ThingsContext(DbContextOptions<ThingsContext> options) : DbContext(options)
    {
        public DbSet<Thing> Things => Set<Thing>();
    }

    private readonly Microsoft.Data.Sqlite.SqliteConnection _connection = new("Data Source=:memory:");
    private readonly DataVersions _versions = new([new TestModule("billing"), new TestModule("subscriptions")]);

    public DataChangeInterceptorTests()
    {
        _connection.Open();
        _versions.SetListening(true);
    }

    private ThingsContext Context() => new(new DbContextOptionsBuilder<ThingsContext>().UseSqlite(_connection)
        .AddInterceptors(new DataChangeInterceptor(_versions, _versions.IndexOf("billing"))).Options);

    private ulong Billing => 1UL << _versions.IndexOf("billing");

    [Fact]
    public async Task A_save_a_bulk_update_and_a_commit_each_move_the_schema_at_once_and_a_query_only_records_the_read()
    {
        await using var db = Context();
        await db.Database.EnsureCreatedAsync();

        var before = _versions.Take();
        db.Things.Add(new Thing { Id = 1, Name = "first" });
        await db.SaveChangesAsync();
        Assert.False(_versions.Unchanged(before, Billing), "a save did not move billing");

        before = _versions.Take();
        await db.Things.Where(t => t.Id == 1).ExecuteUpdateAsync(u => u.SetProperty(t => t.Name, "renamed"));
        Assert.False(_versions.Unchanged(before, Billing), "ExecuteUpdate did not move billing");

        before = _versions.Take();
        ulong read;
        using (var scope = DataReads.Begin())
        {
            Assert.Equal("renamed", await db.Things.AsNoTracking().Select(t => t.Name).SingleAsync());
            read = scope.Mask;
        }
        Assert.Equal(Billing, read);
        Assert.True(_versions.Unchanged(before, Billing), "a query moved billing");
        Assert.True(_versions.Unchanged(before, 1UL << _versions.IndexOf("subscriptions")));

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE Things SET Name = 'in a transaction'");
            before = _versions.Take();
            await transaction.CommitAsync();
        }
        Assert.False(_versions.Unchanged(before, Billing), "a commit did not move billing");
    }

    public void Dispose() => _connection.Dispose();
}
