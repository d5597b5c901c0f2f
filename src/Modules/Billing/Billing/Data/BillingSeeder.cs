using ChaosModular.Accounts.Contracts;
using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace ChaosModular.Billing.Data;

/// <summary>
/// The demo customer's billing history (with <c>Seed:Demo</c>): paid and open invoices in EUR and
/// USD, one overdue, an unapplied credit and a saved Visa card.
/// </summary>
internal sealed class BillingSeeder(BillingDbContext db, IAccountsApi accounts, IssueInvoice issue, IConfiguration configuration, TimeProvider clock)
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
        var now = clock.GetUtcNow().UtcDateTime;
        var profile = await db.Profiles.SingleOrDefaultAsync(p => p.CustomerId == customer.UserId, cancellationToken);
        if (profile is null)
        {
            profile = BillingProfile.Create(customer.UserId);
            db.Profiles.Add(profile);
        }
        profile.Update("Demo Visualisation GmbH", "Friedrichstraße 68", null, "Berlin", "10117", "DE", email, "DE123456789", now.AddMonths(-14));
        var method = PaymentMethod.Save(customer.UserId, "Visa", "4242", 12, now.Year + 2, "sim_demo_visa", isDefault: true, now.AddMonths(-14));
        db.PaymentMethods.Add(method);
        db.Credits.Add(Credit.Grant(customer.UserId, "EUR", 50m, "Goodwill credit for a delayed license activation", now.AddMonths(-2)));
        await db.SaveChangesAsync(cancellationToken);

        var history = new (int MonthsAgo, string Currency, string Product, decimal Quantity, decimal Price, bool Paid)[]
        {
            (13, "EUR", "V-Ray Premium annual", 2, 699m, true),
            (11, "USD", "Chaos Vantage annual", 1, 658.80m, true),
            (7, "EUR", "Corona Solo monthly", 1, 49.90m, true),
            (2, "EUR", "Added seats: V-Ray Premium", 1, 116.50m, false),   // overdue: due six weeks ago
            (0, "EUR", "Chaos Cloud credits", 3, 55m, false),
            (0, "USD", "Enscape monthly", 2, 57.90m, false),
        };
        foreach (var h in history)
        {
            var issued = now.AddMonths(-h.MonthsAgo).AddDays(h.MonthsAgo == 0 ? -3 : 0);
            var start = DateOnly.FromDateTime(issued);
            var invoice = await issue.HandleAsync(new CreateInvoice(customer.UserId, h.Currency,
                [new CreateInvoiceLine(h.Product, h.Quantity, h.Price, start, start.AddMonths(h.Product.Contains("monthly", StringComparison.Ordinal) ? 1 : 12).AddDays(-1), null)]),
                cancellationToken, issued);
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
                var payment = Payment.Start(Guid.NewGuid(), $"seed:{invoice.Number}", customer.UserId, h.Currency, invoice.Balance, 0m, method, issued, automatic: true, $"Invoices {invoice.Number}");
                payment.Allocate(invoice.Id, invoice.Number, invoice.Balance);
                payment.Succeeded("sim_seed", issued.AddDays(1));
                invoice.ApplyPayment(invoice.BalanceDue, issued.AddDays(1));
                db.Payments.Add(payment);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
