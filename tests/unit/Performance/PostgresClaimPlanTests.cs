using System.Text.Json;
using ChaosModular.Subscriptions.Features;
using Npgsql;

namespace ChaosModular.UnitTests.Performance;

/// <summary>
/// The renewal drain's claim on a large orders table: it reads the oldest open renewal orders through the orders'
/// (status, kind, created) index in order, without sorting every open order per claim (a batch of 200 per claim, so a
/// sort of 100,000 open orders was paid 500 times in a run of 100,000 renewals).
/// </summary>
public sealed class PostgresClaimPlanTests
{
    [Fact]
    public async Task The_renewal_claim_reads_open_orders_in_creation_order_through_an_index()
    {
        var database = TestPostgres.CreateMigratedDatabase();
        try
        {
            await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString(database));
            await connection.OpenAsync();
            // 50,000 open renewal orders (some claimed by another run), 50,000 completed ones, and other kinds of order.
            await using (var fill = new NpgsqlCommand("""
                INSERT INTO subscriptions.orders ("Id", "CustomerId", "Kind", "Status", "SubscriptionId", "PlanCode", "Seats", "Currency",
                    "PricePerSeat", "Amount", "CreatedUtc", "RenewalOf", "ClaimId", "ClaimedUntilUtc")
                SELECT md5(g::text)::uuid, 'customer-' || (g % 5000), CASE WHEN g % 10 = 0 THEN 'Purchase' ELSE 'Renewal' END,
                    CASE WHEN g % 2 = 0 THEN 'Completed' ELSE 'AwaitingPayment' END, md5('s' || g)::uuid, 'vray-solo-monthly', 1, 'EUR',
                    59.00, 59.00, now() - make_interval(secs => g), current_date,
                    CASE WHEN g % 7 = 0 THEN md5('c' || g)::uuid END, CASE WHEN g % 7 = 0 THEN now() + interval '30 minutes' END
                FROM generate_series(1, 100000) AS g;
                ANALYZE subscriptions.orders;
                """, connection))
            {
                await fill.ExecuteNonQueryAsync();
            }

            var now = DateTime.UtcNow;
            var sql = RenewSubscriptions.ClaimSql(Guid.NewGuid(), now, now.AddMinutes(30), 200);
            await using var explain = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + string.Format(System.Globalization.CultureInfo.InvariantCulture, sql.Format,
                Enumerable.Range(0, sql.ArgumentCount).Select(i => (object)$"@p{i}").ToArray()), connection);
            for (var i = 0; i < sql.ArgumentCount; i++)
            {
                explain.Parameters.Add(new NpgsqlParameter($"p{i}", sql.GetArgument(i)));
            }
            using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);
            var nodes = PostgresPlanTests.Nodes(plan.RootElement[0].GetProperty("Plan")).ToList();
            var summary = string.Join(", ", nodes.Select(n => $"{n.Type} {n.Index}"));

            Assert.DoesNotContain(nodes, n => n.Type == "Sort");
            Assert.DoesNotContain(nodes, n => n.Type == "Seq Scan");
            Assert.True(nodes.Any(n => n.Index == "IX_orders_Status_Kind_CreatedUtc"), summary);
        }
        finally
        {
            TestPostgres.DropDatabase(database);
        }
    }
}
