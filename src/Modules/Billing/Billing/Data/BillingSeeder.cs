using ChaosModular.Accounts.Contracts;
using Microsoft.Extensions.Configuration;

namespace ChaosModular.Billing.Data;

/// <summary>What a customer's billing starts with: billing information, saved cards, credits and issued invoices.</summary>
internal sealed record BillingSeed(
    BillingSeed.Information BillingInformation,
    IReadOnlyList<BillingSeed.Card> Cards,
    IReadOnlyList<BillingSeed.Credit> Credits,
    IReadOnlyList<BillingSeed.Invoice> Invoices)
{
    internal sealed record Information(string Name, string Address, string City, string PostalCode, string Country, string BillingEmail, string? VatId);

    /// <summary>A card saved with the simulated gateway, which declines by the last four digits (0002, 0341, 9995).</summary>
    internal sealed record Card(string Brand, string Last4, bool IsDefault);

    internal sealed record Credit(string Currency, decimal Amount, string Reason, DateTime GrantedUtc);

    /// <summary>
    /// One line (a "monthly" product covers a month, anything else a year). Unpaid and past its due date, it is
    /// overdue with its automatic attempts used up.
    /// </summary>
    internal sealed record Invoice(DateTime IssuedUtc, string Currency, string Product, decimal Quantity, decimal Price, bool Paid);
}

/// <summary>
/// The demo customer's billing history (with <c>Seed:Demo</c>): paid and open invoices in EUR and
/// USD, one overdue, an unapplied credit and a saved Visa card. <see cref="SeedCustomerAsync"/> gives any
/// customer a <see cref="BillingSeed"/> (the end-to-end tests make one per journey).
/// </summary>
internal sealed class BillingSeeder(BillingDbContext db, IAccountsApi accounts, IssueInvoice issue, IConfiguration configuration, TimeProvider clock) : IModuleSeeder
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>("Seed:Demo"))
        {
            return;
        }
        var email = configuration["Seed:DemoCustomerEmail"] ?? "demo@chaosmodular.local";
        var customer = await accounts.FindCustomerByEmailAsync(email, cancellationToken);
        if (customer is null || await db.Invoices.AnyAsync(i => i.CustomerId == customer.UserId, cancellationToken))
        {
            return;
        }
        await SeedCustomerAsync(customer.UserId, Demo(email, clock.GetUtcNow().UtcDateTime), cancellationToken);
    }

    private static BillingSeed Demo(string email, DateTime now) => new(
        new("Demo Visualisation GmbH", "Friedrichstraße 68", "Berlin", "10117", "DE", email, "DE123456789"),
        [new("Visa", "4242", IsDefault: true)],
        [new("EUR", 50m, "Goodwill credit for a delayed license activation", now.AddMonths(-2))],
        [
            new(now.AddMonths(-13), "EUR", "V-Ray Premium annual", 2, 699m, Paid: true),
            new(now.AddMonths(-11), "USD", "Chaos Vantage annual", 1, 658.80m, Paid: true),
            new(now.AddMonths(-7), "EUR", "Corona Solo monthly", 1, 49.90m, Paid: true),
            new(now.AddMonths(-2), "EUR", "Added seats: V-Ray Premium", 1, 116.50m, Paid: false),   // overdue: due six weeks ago
            new(now.AddDays(-3), "EUR", "Chaos Cloud credits", 3, 55m, Paid: false),
            new(now.AddDays(-3), "USD", "Enscape monthly", 2, 57.90m, Paid: false),
        ]);

    /// <summary>Gives the customer this billing information, these cards and credits, and issues these invoices.</summary>
    public async Task SeedCustomerAsync(string customerId, BillingSeed seed, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = seed.Invoices.Select(i => i.IssuedUtc).Append(now).Min().AddMonths(-1);
        var profile = await ProfileAsync(customerId, cancellationToken);
        var info = seed.BillingInformation;
        profile.Update(info.Name, info.Address, null, info.City, info.PostalCode, info.Country, info.BillingEmail, info.VatId, since);
        var cards = seed.Cards
            .Select(c => PaymentMethod.Save(customerId, c.Brand, c.Last4, 12, now.Year + 2, $"sim_seed_{Guid.NewGuid():N}", c.IsDefault, since))
            .ToList();
        db.PaymentMethods.AddRange(cards);
        db.Credits.AddRange(seed.Credits.Select(c => Credit.Grant(customerId, c.Currency, c.Amount, c.Reason, c.GrantedUtc)));
        await db.SaveChangesAsync(cancellationToken);

        var paidWith = cards.FirstOrDefault(c => c.IsDefault) ?? cards.FirstOrDefault();
        foreach (var h in seed.Invoices)
        {
            var start = DateOnly.FromDateTime(h.IssuedUtc);
            var invoice = await issue.HandleAsync(new CreateInvoice(customerId, h.Currency,
                [new CreateInvoiceLine(h.Product, h.Quantity, h.Price, start, start.AddMonths(h.Product.Contains("monthly", StringComparison.Ordinal) ? 1 : 12).AddDays(-1), null)]),
                cancellationToken, h.IssuedUtc);
            if (!h.Paid && invoice.DueUtc < now)
            {
                // Its automatic attempts all failed long ago (an expired card then): Overdue, waiting for a manual payment.
                foreach (var _ in PaymentRetrySchedule.DaysAfterDue)
                {
                    invoice.AutoPayFailed();
                }
            }
            if (h.Paid)
            {
                var method = paidWith ?? throw new InvalidOperationException($"A paid invoice ({h.Product}) needs a saved card.");
                var payment = Payment.Start(Guid.NewGuid(), $"seed:{invoice.Number}", customerId, h.Currency, invoice.Balance, 0m, method, h.IssuedUtc, automatic: true, $"Invoices {invoice.Number}");
                payment.Allocate(invoice.Id, invoice.Number, invoice.Balance);
                payment.Succeeded("sim_seed", h.IssuedUtc.AddDays(1));
                invoice.ApplyPayment(invoice.BalanceDue, h.IssuedUtc.AddDays(1));
                db.Payments.Add(payment);
            }
            // Saved invoice by invoice: issuing the next one clears the tracker if its number was taken meanwhile.
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The customer's profile, created if missing. Registration starts one too (the Worker handles
    /// CustomerRegistered meanwhile), so if that wins the race the seed updates that one.
    /// </summary>
    private async Task<BillingProfile> ProfileAsync(string customerId, CancellationToken cancellationToken)
    {
        if (await db.Profiles.SingleOrDefaultAsync(p => p.CustomerId == customerId, cancellationToken) is { } existing)
        {
            return existing;
        }
        var profile = BillingProfile.Create(customerId);
        db.Profiles.Add(profile);
        return await db.TryInsertOnceAsync(cancellationToken)
            ? profile
            : await db.Profiles.SingleAsync(p => p.CustomerId == customerId, cancellationToken);
    }
}
