using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Features;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Subscriptions.Domain;
using CsCheck;

namespace ChaosModular.UnitTests.Billing;

/// <summary>
/// The money invariants over random inputs (CsCheck shrinks a failure to its smallest case and prints its seed):
/// an invoice adds up to the cent, a prorated price stays within the term's price, credits never pay more than is due,
/// and a customer's ledger balances.
/// </summary>
public sealed class MoneyPropertyTests
{
    private static readonly Gen<string> Currency = Gen.OneOf("EUR", "USD", "GBP", "JPY", "BHD");

    /// <summary>A positive amount in whole minor units of <paramref name="currency"/> (prices as the catalog and invoices carry them).</summary>
    private static Gen<decimal> Amount(string currency, int maxUnits) =>
        Gen.Int[1, maxUnits].Select(units => units / Pow10(Money.MinorUnitDigits(currency)));

    private static decimal Pow10(int digits) => digits switch { 0 => 1m, 1 => 10m, 2 => 100m, 3 => 1000m, _ => throw new ArgumentOutOfRangeException(nameof(digits)) };

    private static bool InMinorUnits(decimal amount, string currency) => decimal.Round(amount, Money.MinorUnitDigits(currency)) == amount;

    private static decimal HalfMinorUnit(string currency) => 0.5m / Pow10(Money.MinorUnitDigits(currency));

    [Fact]
    public void An_invoice_total_is_its_lines_plus_tax_to_the_minor_unit()
    {
        // Unit prices with up to 3 decimals (a prorated or per-unit price), whole quantities, tax rates with 2 decimals up to 27 %.
        var line = Gen.Select(Gen.Int[1, 50], Gen.Int[1, 5_000_000], Gen.Int[0, 3], (quantity, units, scale) => ((decimal)quantity, units / Pow10(scale)));
        var taxRate = Gen.Int[0, 2700].Select(basisPoints => basisPoints / 100m);

        Gen.Select(Currency, line.Array[1, 8], taxRate).Sample((currency, lines, rate) =>
        {
            var invoice = Invoice.Issue("INV-2026-000001", "c1", currency, new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc), 14, rate,
                new BillingSnapshot("Render GmbH", "Street 1", null, "Berlin", "10117", "DE", "billing@example.test", null),
                lines.Select(l => ("Seats", l.Item1, l.Item2, (DateOnly?)null, (DateOnly?)null, (string?)null)));

            Assert.Equal(invoice.Lines.Sum(l => l.Amount) + invoice.Tax, invoice.Total);
            Assert.Equal(invoice.Subtotal + invoice.Tax, invoice.Total);
            Assert.All(invoice.Lines.Select(l => l.Amount).Append(invoice.Tax).Append(invoice.Total), amount => Assert.True(InMinorUnits(amount, currency), $"{amount} {currency} is not in whole minor units"));
            Assert.All(invoice.Lines.Zip(lines), x => Assert.InRange(x.First.Amount - x.Second.Item1 * x.Second.Item2, -HalfMinorUnit(currency), HalfMinorUnit(currency)));
            Assert.InRange(invoice.Tax - invoice.Subtotal * rate / 100m, -HalfMinorUnit(currency), HalfMinorUnit(currency));
        }, iter: 1000);
    }

    [Fact]
    public void A_prorated_price_is_never_negative_nor_more_than_the_whole_terms_price()
    {
        var cases =
            from currency in Currency
            from annual in Gen.Bool
            from activatedOn in Gen.DateOnly[new DateOnly(2020, 1, 1), new DateOnly(2031, 12, 31)]
            from seats in Gen.Int[1, 100]
            from price in Amount(currency, 1_000_000)
            from addedSeats in Gen.Int[1, 20]
            from newPrice in Amount(currency, 1_000_000)
            let subscription = Subscription.Start(Guid.NewGuid(), "c1", "plan", "product", "family", annual ? Term.Annual : Term.Monthly, new Money(price, currency), seats, activatedOn)
            from today in Gen.DateOnly[subscription.PeriodStart.AddDays(-31), subscription.RenewsOn.AddDays(31)]
            select (Subscription: subscription, AddedSeats: addedSeats, NewPrice: new Money(newPrice, currency), Today: today);

        cases.Sample(c =>
        {
            var s = c.Subscription;
            var fullTerm = c.AddedSeats * s.PricePerSeat;
            var added = s.PriceForAddedSeats(c.AddedSeats, c.Today);
            Assert.Equal(s.Currency, added.Currency);
            Assert.InRange(added.Amount, 0m, fullTerm);
            Assert.True(InMinorUnits(added.Amount, s.Currency), $"{added} is not in whole minor units");
            Assert.True(added.Amount <= s.PriceForAddedSeats(c.AddedSeats, c.Today.AddDays(-1)).Amount, "A later day cost more than the day before.");
            if (c.Today <= s.PeriodStart)
            {
                Assert.Equal(fullTerm, added.Amount);
            }
            if (c.Today >= s.RenewsOn)
            {
                Assert.Equal(0m, added.Amount);
            }

            var newSeats = s.Seats + c.AddedSeats - 1;
            var upgrade = Proration.ForUpgrade(s.Seats, s.PricePerSeatPerTerm, newSeats, c.NewPrice, c.Today, s.PeriodStart, s.RenewsOn);
            Assert.Equal(s.Currency, upgrade.Currency);
            Assert.InRange(upgrade.Amount, 0m, newSeats * c.NewPrice.Amount);
        }, iter: 1000);
    }

    [Fact]
    public void Credits_applied_never_exceed_the_amount_due_and_go_oldest_first_in_its_currency()
    {
        var credit = Gen.Select(Gen.OneOf("EUR", "USD", "GBP"), Gen.Int[0, 50_000], Gen.Int[0, 100_000],
            (currency, cents, minutes) => (Id: Guid.NewGuid(), Remaining: new Money(cents / 100m, currency), CreatedUtc: new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(minutes)));
        var due = Gen.Select(Gen.OneOf("EUR", "USD"), Gen.Int[0, 200_000], (currency, cents) => new Money(cents / 100m, currency));

        Gen.Select(due, credit.Array[0, 6]).Sample((amountDue, credits) =>
        {
            var (uses, toCharge) = CreditApplication.Apply(amountDue, credits);

            var applied = uses.Sum(u => u.Amount.Amount);
            Assert.InRange(applied, 0m, amountDue.Amount);
            Assert.Equal(amountDue - new Money(applied, amountDue.Currency), toCharge);
            var usable = credits.Where(c => c.Remaining.Currency == amountDue.Currency).ToList();
            Assert.Equal(Math.Min(amountDue.Amount, usable.Sum(c => c.Remaining.Amount)), applied);   // as much as the credits can cover
            var byId = credits.ToDictionary(c => c.Id);
            Assert.Equal(uses.Count, uses.Select(u => u.CreditId).Distinct().Count());
            Assert.All(uses, u =>
            {
                Assert.Equal(amountDue.Currency, u.Amount.Currency);
                Assert.InRange(u.Amount.Amount, 0.01m, byId[u.CreditId].Remaining.Amount);
            });
            // Oldest first: every credit but the last one used is used up, and no unused credit is older than a used one.
            Assert.All(uses.SkipLast(1), u => Assert.Equal(byId[u.CreditId].Remaining, u.Amount));
            var used = uses.Select(u => u.CreditId).ToHashSet();
            if (used.Count > 0)
            {
                var newestUsed = uses.Max(u => byId[u.CreditId].CreatedUtc);
                Assert.DoesNotContain(usable, c => c.Remaining.Amount > 0 && !used.Contains(c.Id) && c.CreatedUtc < newestUsed);
            }
        }, iter: 1000);
    }

    private enum Step
    {
        Invoice,
        GrantCredit,
        PayAll,
        PayOne,
        RefundToCredit,
    }

    private sealed record Op(Step Step, string Currency, int Cents, int Pick);

    [Fact]
    public async Task A_customers_card_payments_and_granted_credits_equal_what_their_invoices_received_plus_unspent_credits()
    {
        // Random histories of invoices (with or without VAT), goodwill credits, payments of one or all invoices (with a card
        // that pays or one that is declined) and paid invoices refunded to credit. Per currency: card payments + credits
        // granted = Σ paid on invoices still standing + credits not spent.
        await using var factory = new SqlitePortalFactory();
        var op = Gen.Select(Gen.Enum<Step>(), Gen.OneOf("EUR", "USD"), Gen.Int[1, 100_000], Gen.Int[0, 20], (step, currency, cents, pick) => new Op(step, currency, cents, pick));

        await Gen.Select(Gen.Bool, Gen.Bool, op.Array[1, 10]).SampleAsync(async (domestic, declining, ops) =>
        {
            var customerId = await NewCustomerAsync(factory, domestic ? "BG" : "DE", domestic ? null : "DE123456789", declining ? "0002" : "4242");
            var granted = new Dictionary<string, decimal>(StringComparer.Ordinal) { ["EUR"] = 0m, ["USD"] = 0m };
            foreach (var o in ops)
            {
                await RunAsync(factory, customerId, o, granted);
            }

            var (payments, invoices, credits) = await BillingScope.InBilling(factory, async db => (
                await db.Payments.AsNoTracking().Where(p => p.CustomerId == customerId).ToListAsync(),
                await db.Invoices.AsNoTracking().Where(i => i.CustomerId == customerId).ToListAsync(),
                await db.Credits.AsNoTracking().Where(c => c.CustomerId == customerId).ToListAsync()));
            var refunded = credits.Where(c => c.SourceReference is not null).Select(c => c.SourceReference).ToHashSet(StringComparer.Ordinal);
            foreach (var currency in granted.Keys)
            {
                var paidIn = payments.Where(p => p.Currency == currency && p.Status == PaymentStatus.Succeeded).Sum(p => p.Amount) + granted[currency];
                var accounted = invoices.Where(i => i.Currency == currency && !refunded.Contains(RefundInvoiceToCredit.SourceReferenceOf(i.Id))).Sum(i => i.AmountPaid)
                    + credits.Where(c => c.Currency == currency).Sum(c => c.Remaining);
                Assert.Equal(paidIn, accounted);
            }
            Assert.All(invoices, i => Assert.InRange(i.AmountPaid, 0m, i.Total));
            Assert.All(credits, c => Assert.InRange(c.Remaining, 0m, c.Amount));
        }, iter: 30, threads: 1);
    }

    private static async Task RunAsync(PortalFactory factory, string customerId, Op o, Dictionary<string, decimal> granted)
    {
        var amount = o.Cents / 100m;
        var unpaid = await BillingScope.InBilling(factory, db => db.Invoices.AsNoTracking().Where(i => i.CustomerId == customerId).Where(Invoice.Unpaid)
            .OrderBy(i => i.Number).Select(i => i.Id).ToListAsync());
        switch (o.Step)
        {
            case Step.Invoice:
                await using (var scope = factory.Services.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<IssueInvoice>().HandleAsync(
                        new CreateInvoice(customerId, o.Currency, [new CreateInvoiceLine("V-Ray Solo annual", 1m, amount, null, null, "vray-solo")]), CancellationToken.None);
                }
                break;
            case Step.GrantCredit:
                await BillingScope.InBilling(factory, db =>
                {
                    db.Credits.Add(Credit.Grant(customerId, o.Currency, amount, "Goodwill", DateTime.UtcNow));
                    return db.SaveChangesAsync();
                });
                granted[o.Currency] += amount;
                break;
            case Step.PayAll when unpaid.Count > 0:
                await PayAsync(factory, customerId, unpaid);
                break;
            case Step.PayOne when unpaid.Count > 0:
                await PayAsync(factory, customerId, [unpaid[o.Pick % unpaid.Count]]);
                break;
            case Step.RefundToCredit:
                var paid = await BillingScope.InBilling(factory, db => db.Invoices.AsNoTracking()
                    .Where(i => i.CustomerId == customerId && i.Status == InvoiceStatus.Paid).OrderBy(i => i.Number).Select(i => i.Id).ToListAsync());
                if (paid.Count > 0)
                {
                    await BillingScope.WithApi(factory, api => api.RefundToCreditAsync(new RefundToCredit(paid[o.Pick % paid.Count], "The order no longer applies"), CancellationToken.None));
                }
                break;
        }
    }

    /// <summary>A Billing customer as signing up leaves one: billing information (whose country decides VAT) and a default card.</summary>
    private static async Task<string> NewCustomerAsync(PortalFactory factory, string country, string? vatId, string cardLast4)
    {
        var customerId = $"ledger-{Guid.NewGuid():N}";
        await BillingScope.InBilling(factory, db =>
        {
            var profile = BillingProfile.Create(customerId);
            profile.Update("Ledger Studio Ltd", "1 Render Road", null, "Sofia", "1000", country, "ledger@example.test", vatId, DateTime.UtcNow);
            db.Profiles.Add(profile);
            db.PaymentMethods.Add(PaymentMethod.Save(customerId, "Visa", cardLast4, 12, DateTime.UtcNow.Year + 3, $"sim_{Guid.NewGuid():N}", isDefault: true, DateTime.UtcNow));
            return db.SaveChangesAsync();
        });
        return customerId;
    }

    private static async Task PayAsync(PortalFactory factory, string customerId, IReadOnlyCollection<Guid> invoiceIds)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PayInvoices>().HandleAsync(customerId, invoiceIds, Guid.NewGuid().ToString("N"), automatic: false, CancellationToken.None);
    }
}
