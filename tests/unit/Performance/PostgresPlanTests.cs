using System.Net;
using System.Text.Json;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Licensing.Data;
using ChaosModular.Licensing.Domain;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Organizations.Contracts;
using ChaosModular.Organizations.Data;
using ChaosModular.Organizations.Domain;
using ChaosModular.Subscriptions.Data;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.Subscriptions.Features;
using ChaosModular.UnitTests.Billing;
using Npgsql;
using Xunit.Abstractions;

namespace ChaosModular.UnitTests.Performance;

/// <summary>PostgreSQL with every module's commands recorded per request (<see cref="SqlCommandCounter"/>).</summary>
public sealed class PlanPostgresPortalFactory : PostgresPortalFactory
{
    public PlanPostgresPortalFactory() => TestServices = SqlCommandCounter.AddTo;

    public SqlCommandCounter Counter => Services.GetRequiredService<SqlCommandCounter>();
}

/// <summary>
/// The queries behind the listed pages, as the pages send them, use an index for the customer (or organization) on
/// a large database: one account with 1,000 subscriptions, 5,000 invoices, 200 licenses and an organization of 5,000
/// users, among other accounts holding ten times as much. Each recorded command that reads a large table is run
/// again under <c>EXPLAIN (FORMAT JSON)</c> with its parameters; no plan may scan a large table sequentially.
/// </summary>
public sealed class PostgresPlanTests(PlanPostgresPortalFactory factory, ITestOutputHelper output) : IClassFixture<PlanPostgresPortalFactory>
{
    private static readonly string[] LargeTables = ["subscriptions", "invoices", "licenses", "memberships"];
    private const int Others = 50;
    private static readonly string[] PlanCodes = ["vray-solo-annual", "corona-solo-monthly", "enscape-fixed-annual", "phoenix-annual"];

    [Fact]
    public async Task The_listed_pages_read_the_large_tables_through_indexes()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        await FillAsync(customer.UserId, subscriptions: 1_000, invoices: 5_000, licenses: 200, users: 5_000);
        await using (var connection = new NpgsqlConnection(TestPostgres.ConnectionString(factory.DatabaseName)))
        {
            await connection.OpenAsync();
            await using var analyze = new NpgsqlCommand("ANALYZE", connection);
            await analyze.ExecuteNonQueryAsync();
        }

        var number = await InBilling(db => db.Invoices.Where(i => i.CustomerId == customer.UserId).Select(i => i.Number).FirstAsync());
        string[] pages = ["/products", "/billing", $"/billing?q={Uri.EscapeDataString(number[..6])}", "/licensing", "/organization"];
        var checkedPlans = 0;
        foreach (var path in pages)
        {
            var (response, commands) = await factory.Counter.RequestAsync(customer.Client.Http, path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            foreach (var command in commands.Where(c => c.Text.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)))
            {
                var read = LargeTables.Where(t => command.Text.Contains($".{t} ", StringComparison.Ordinal) || command.Text.Contains($".{t}\n", StringComparison.Ordinal)).ToList();
                if (read.Count == 0)
                {
                    continue;
                }
                var nodes = Nodes(await ExplainAsync(command)).ToList();
                var summary = string.Join(", ", nodes.Select(n => $"{n.Type} on {n.Relation ?? "-"}{(n.Index is null ? "" : $" using {n.Index}")}"));
                output.WriteLine($"{path}: {summary}");
                Assert.DoesNotContain(nodes, n => n.Type == "Seq Scan" && LargeTables.Contains(n.Relation));
                Assert.Contains(nodes, n => n.Index is not null);
                checkedPlans++;
            }
        }
        Assert.True(checkedPlans >= 8, $"Only {checkedPlans} queries read the large tables.");
    }

    internal sealed record PlanNode(string Type, string? Relation, string? Index);

    /// <summary>Every node of an <c>EXPLAIN (FORMAT JSON)</c> plan, depth first.</summary>
    internal static IEnumerable<PlanNode> Nodes(JsonElement plan)
    {
        yield return new PlanNode(plan.GetProperty("Node Type").GetString()!,
            plan.TryGetProperty("Relation Name", out var relation) ? relation.GetString() : null,
            plan.TryGetProperty("Index Name", out var index) ? index.GetString() : null);
        if (plan.TryGetProperty("Plans", out var children))
        {
            foreach (var node in children.EnumerateArray().SelectMany(Nodes))
            {
                yield return node;
            }
        }
    }

    private async Task<JsonElement> ExplainAsync(RecordedCommand command)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString(factory.DatabaseName));
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + command.Text, connection);
        foreach (var (name, value) in command.Parameters)
        {
            explain.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        }
        var json = (string)(await explain.ExecuteScalarAsync())!;
        using var document = JsonDocument.Parse(json);
        return document.RootElement[0].GetProperty("Plan").Clone();
    }

    /// <summary>
    /// The large account's rows go in through the modules' entities; the other accounts' rows are copies of a tenth of
    /// them, made in the database (INSERT ... SELECT over generate_series): the same fill through EF took about 15 s.
    /// </summary>
    private async Task FillAsync(string customerId, int subscriptions, int invoices, int licenses, int users)
    {
        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(now);
        PlanSummary[] plans;
        BillingSnapshot billTo;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var catalog = scope.ServiceProvider.GetRequiredService<ICatalogApi>();
            var found = new List<PlanSummary>();
            foreach (var code in PlanCodes)
            {
                found.Add((await catalog.PlanAsync(code, CancellationToken.None))!);
            }
            plans = [.. found];
            billTo = (await scope.ServiceProvider.GetRequiredService<BillingDbContext>().Profiles.AsNoTracking().SingleAsync(p => p.CustomerId == customerId)).Snapshot();
        }
        await InsertAsync<SubscriptionsDbContext>(db => db.Subscriptions.AddRange(Enumerable.Range(0, subscriptions).Select(i =>
        {
            var plan = plans[i % plans.Length];
            return Subscription.Start(Guid.NewGuid(), customerId, plan.Code, plan.Product.Code, plan.Product.FamilyCode, plan.Term.ToTerm(),
                plan.PricesPerSeat[0], 1 + (i % 4), today.AddDays(-(i % 300)));
        })));
        await InsertAsync<BillingDbContext>(db => db.Invoices.AddRange(Enumerable.Range(0, invoices).Select(i =>
            Invoice.Issue($"T-{i:D6}", customerId, "EUR", now.AddHours(-i), 14, 20m, billTo with { },
                [("V-Ray Solo annual", 1m, 470m, (DateOnly?)null, (DateOnly?)null, (string?)"vray-solo")]))));
        await InsertAsync<LicensingDbContext>(db => db.Licenses.AddRange(Enumerable.Range(0, licenses).Select(_ => License.For(Guid.NewGuid(), customerId, now))));
        await InsertAsync<OrganizationsDbContext>(db =>
        {
            var organization = Organization.SetUp(customerId, "Studio", "support-test", now);
            db.Organizations.Add(organization);
            db.Memberships.Add(Membership.Join(organization.Id, customerId, "admin@example.test", OrganizationRole.Administrator, now));
            db.Memberships.AddRange(Enumerable.Range(0, users).Select(i =>
                Membership.Join(organization.Id, $"user-{Guid.NewGuid():N}", $"user{i:D5}@example.test", OrganizationRole.Member, now)));
        });

        // Every other account holds a tenth as much as the large one, so together they hold five times as much.
        const string other = "'other-' || lpad(g::text, 3, '0')";
        const string newId = "md5(s.\"Id\"::text || g)::uuid";
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString(factory.DatabaseName));
        await connection.OpenAsync();
        await CopyAsync(connection, customerId, "subscriptions.subscriptions", "s.\"CustomerId\" = @owner", "Id",
            new() { ["Id"] = newId, ["CustomerId"] = other });
        await CopyAsync(connection, customerId, "billing.invoices", "s.\"CustomerId\" = @owner", "Id",
            new() { ["Id"] = newId, ["CustomerId"] = other, ["Number"] = "s.\"Number\" || '-' || g" });
        await CopyAsync(connection, customerId, "billing.invoice_lines",
            "s.\"InvoiceId\" IN (SELECT \"Id\" FROM billing.invoices WHERE \"CustomerId\" = @owner)", "InvoiceId",
            new() { ["Id"] = newId, ["InvoiceId"] = "md5(s.\"InvoiceId\"::text || g)::uuid" });
        await CopyAsync(connection, customerId, "licensing.licenses", "s.\"CustomerId\" = @owner", "Id",
            new()
            {
                ["Id"] = newId, ["CustomerId"] = other, ["SubscriptionId"] = "md5(s.\"SubscriptionId\"::text || g)::uuid",
                ["LicenseKey"] = "left(md5(s.\"LicenseKey\" || g), 32)",
            });
        await CopyAsync(connection, customerId, "organizations.organizations", "s.\"AccountId\" = @owner", pick: null,
            new() { ["Id"] = newId, ["AccountId"] = other, ["Name"] = "'Studio ' || g" });
        await CopyAsync(connection, customerId, "organizations.memberships",
            "s.\"OrganizationId\" = (SELECT \"Id\" FROM organizations.organizations WHERE \"AccountId\" = @owner)", "Id",
            new()
            {
                ["Id"] = newId, ["OrganizationId"] = "md5(s.\"OrganizationId\"::text || g)::uuid",
                ["AccountId"] = "s.\"AccountId\" || '-' || g", ["Email"] = "g || '.' || s.\"Email\"",
            });
    }

    /// <summary>
    /// Copies the large account's rows of <paramref name="table"/> (those <paramref name="owned"/> selects; a tenth of
    /// them by the hash of <paramref name="pick"/>, or all when it is null) once for each other account, numbered g from
    /// 1: every column as it is but those in <paramref name="changed"/>, SQL over the source row s and g.
    /// </summary>
    private static async Task CopyAsync(NpgsqlConnection connection, string owner, string table, string owned, string? pick, Dictionary<string, string> changed)
    {
        var columns = new List<string>();
        await using (var read = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = @schema AND table_name = @table ORDER BY ordinal_position", connection))
        {
            read.Parameters.AddWithValue("schema", table.Split('.')[0]);
            read.Parameters.AddWithValue("table", table.Split('.')[1]);
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }
        Assert.All(changed.Keys, c => Assert.Contains(c, columns));
        var tenth = pick is null ? "" : $" AND abs(hashtext(s.\"{pick}\"::text)) % 10 = 0";
        await using var copy = new NpgsqlCommand(
            $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
            $"SELECT {string.Join(", ", columns.Select(c => changed.GetValueOrDefault(c) ?? $"s.\"{c}\""))} " +
            $"FROM {table} s CROSS JOIN generate_series(1, {Others}) g WHERE {owned}{tenth}", connection);
        copy.Parameters.AddWithValue("owner", owner);
        Assert.True(await copy.ExecuteNonQueryAsync() > 0, $"Nothing was copied into {table}.");
    }

    private async Task InsertAsync<TContext>(Action<TContext> add) where TContext : DbContext
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        add(db);
        await db.SaveChangesAsync();
    }

    private async Task<T> InBilling<T>(Func<BillingDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<BillingDbContext>());
    }
}
