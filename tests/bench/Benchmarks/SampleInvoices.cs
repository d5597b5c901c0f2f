using ChaosModular.Billing;
using ChaosModular.Billing.Domain;

namespace ChaosModular.Benchmarks;

/// <summary>An invoice as the portal issues one: a German business customer, yearly subscriptions with periods.</summary>
internal static class SampleInvoices
{
    public static readonly SellerOptions Seller = new();

    public static Invoice Issue(int lines) => Invoice.Issue(
        "INV-2026-000123",
        "customer-1",
        "EUR",
        new DateTime(2026, 8, 3, 9, 30, 0, DateTimeKind.Utc),
        14,
        19m,
        new BillingSnapshot("Muster Studio GmbH", "Hauptstraße 5", "3. OG", "Berlin", "10115", "DE", "billing@muster.example", "DE123456789"),
        Enumerable.Range(1, lines).Select(i => (
            $"Chaos Vantage Standard, yearly, seat group {i}",
            (decimal)(i % 5 + 1),
            1188.00m,
            (DateOnly?)new DateOnly(2026, 8, 3),
            (DateOnly?)new DateOnly(2027, 8, 2),
            (string?)$"SUB-{i:0000}")));
}
