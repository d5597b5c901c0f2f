using System.Text.Json;
using Npgsql;

namespace ChaosModular.UnitTests.Performance;

/// <summary>
/// A payment reads back the invoices it has just claimed by its lock (PayInvoices: one customer's payment, a renewal
/// batch's 200, and the retry of a payment left pending). Without an index on the lock every such read scanned the whole
/// invoices table: 53 ms a batch at 100,000 invoices on PostgreSQL, 26 s of the database's time in a run of 100,000 renewals
/// (pg_stat_statements). Most invoices hold no lock, so the index is filtered to those that do.
/// </summary>
public sealed class PostgresPaymentPlanTests
{
    [Fact]
    public async Task The_invoices_a_payment_holds_are_read_through_the_lock_index()
    {
        var database = TestPostgres.CreateMigratedDatabase();
        try
        {
            await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString(database));
            await connection.OpenAsync();
            // 100,000 invoices, one in fifty held by a payment (200 by the same batch lock).
            await using (var fill = new NpgsqlCommand("""
                INSERT INTO billing.invoices ("Id", "Number", "CustomerId", "Currency", "IssuedUtc", "DueUtc", "Status", "TaxRatePercent", "Subtotal",
                    "Tax", "Total", "AmountPaid", bill_to_name, bill_to_address1, bill_to_city, bill_to_postal_code, bill_to_country, bill_to_email,
                    "AutoPayFailures", "Version", "PaymentLockId", "PaymentLockUntilUtc")
                SELECT md5(g::text)::uuid, 'INV-2027-' || lpad(g::text, 6, '0'), 'customer-' || g, 'EUR', now(), now(), 'Open', 19, 49.9,
                    9.48, 59.38, 0, 'Studio ' || g, '1 Render Road', 'Berlin', '10115', 'DE', 'studio' || g || '@example.test',
                    0, md5('v' || g)::uuid,
                    CASE WHEN g % 50 = 0 THEN md5('lock' || (g % 250))::uuid END, CASE WHEN g % 50 = 0 THEN now() END
                FROM generate_series(1, 100000) AS g;
                ANALYZE billing.invoices;
                """, connection))
            {
                await fill.ExecuteNonQueryAsync();
            }

            // The read as EF sends it (PayInvoices: db.Invoices.Where(i => i.PaymentLockId == lock)).
            await using var explain = new NpgsqlCommand("""
                EXPLAIN (FORMAT JSON) SELECT i."Id", i."Number", i."Status", i."Total", i."Version"
                FROM billing.invoices AS i WHERE i."PaymentLockId" = @lock
                """, connection);
            explain.Parameters.AddWithValue("lock", Guid.NewGuid());
            using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);
            var nodes = PostgresPlanTests.Nodes(plan.RootElement[0].GetProperty("Plan")).ToList();
            var summary = string.Join(", ", nodes.Select(n => $"{n.Type} {n.Index}"));

            Assert.DoesNotContain(nodes, n => n.Type == "Seq Scan");
            Assert.True(nodes.Any(n => n.Index == "IX_invoices_PaymentLockId"), summary);
        }
        finally
        {
            TestPostgres.DropDatabase(database);
        }
    }
}
