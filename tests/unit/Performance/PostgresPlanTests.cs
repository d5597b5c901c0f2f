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

    private sealed record PlanNode(string Type, string? Relation, string? Index);

    private static IEnumerable<PlanNode> Nodes(JsonElement plan)
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

    private async Task FillAsync(string customerId, int subscriptions, int invoices, int licenses, int users)
    {
        var owners = Enumerable.Range(0, Others).Select(i => $"other-{i:D3}-{Guid.NewGuid():N}").Prepend(customerId).ToList();
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
        // Every other account holds a tenth as much as the large one, so together they hold five times as much.
        foreach (var (owner, index) in owners.Select((o, i) => (o, i)))
        {
            var share = index == 0 ? 1 : 10;
            await InsertAsync<SubscriptionsDbContext>(db => db.Subscriptions.AddRange(Enumerable.Range(0, subscriptions / share).Select(i =>
            {
                var plan = plans[i % plans.Length];
                return Subscription.Start(Guid.NewGuid(), owner, plan.Code, plan.Product.Code, plan.Product.FamilyCode, plan.Term.ToTerm(),
                    plan.PricesPerSeat[0], 1 + (i % 4), today.AddDays(-(i % 300)));
            })));
            await InsertAsync<BillingDbContext>(db => db.Invoices.AddRange(Enumerable.Range(0, invoices / share).Select(i =>
                Invoice.Issue($"T{index:D3}-{i:D6}", owner, "EUR", now.AddHours(-i), 14, 20m, billTo with { },
                    [("V-Ray Solo annual", 1m, 470m, (DateOnly?)null, (DateOnly?)null, (string?)"vray-solo")]))));
            await InsertAsync<LicensingDbContext>(db => db.Licenses.AddRange(Enumerable.Range(0, licenses / share).Select(_ => License.For(Guid.NewGuid(), owner, now))));
            await InsertAsync<OrganizationsDbContext>(db =>
            {
                var organization = Organization.SetUp(owner, $"Studio {index:D3}", "support-test", now);
                db.Organizations.Add(organization);
                db.Memberships.Add(Membership.Join(organization.Id, owner, $"admin-{index:D3}@example.test", OrganizationRole.Administrator, now));
                db.Memberships.AddRange(Enumerable.Range(0, users / share).Select(i =>
                    Membership.Join(organization.Id, $"user-{Guid.NewGuid():N}", $"user{i:D5}-{index:D3}@example.test", OrganizationRole.Member, now)));
            });
        }
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
