using System.Runtime.CompilerServices;
using ChaosModular.Accounts.Contracts;
using ChaosModular.Billing.Data;
using ChaosModular.CloudCredits.Data;
using ChaosModular.Subscriptions.Data;

namespace ChaosModular.E2E.Seeding;

/// <summary>
/// A customer of one journey, with exactly the data it needs: <c>CustomerBuilder.For()</c> names the email after the
/// calling journey (plus a random suffix, so journeys never share a customer), then <c>With…</c> adds billing
/// information, cards, credits, invoices and subscriptions. Dates are relative to today (UTC). The journey asserts
/// what it sees against the <see cref="SeededCustomer"/> it gets back.
/// </summary>
internal sealed class CustomerBuilder
{
    public const string GermanVatId = "DE123456789";

    private readonly string _email;
    private readonly List<BillingSeed.Card> _cards = [];
    private readonly List<BillingSeed.Credit> _credits = [];
    private readonly List<BillingSeed.Invoice> _invoices = [];
    private readonly List<SubscriptionSeed> _subscriptions = [];
    private readonly List<CloudCreditSeed> _cloudCredits = [];
    private string _name = "Ada Render";
    private string _country = "DE";
    private string? _role;
    private BillingSeed.Information? _information;

    private CustomerBuilder(string email) => _email = email;

    private static DateTime Now => DateTime.UtcNow;

    private static DateOnly Today => DateOnly.FromDateTime(Now);

    /// <summary>A customer for the journey <paramref name="journey"/> (the caller's name unless given).</summary>
    public static CustomerBuilder For([CallerMemberName] string journey = "")
    {
        var name = new string(journey.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return new CustomerBuilder($"{name[..Math.Min(name.Length, 40)]}-{Guid.NewGuid().ToString("N")[..8]}@example.test");
    }

    public CustomerBuilder Named(string name, string country = "DE")
    {
        _name = name;
        _country = country;
        return this;
    }

    /// <summary>The support desk: may open the Hangfire dashboard.</summary>
    public CustomerBuilder AsSupport()
    {
        _role = PortalRoles.Support;
        return this;
    }

    /// <summary>
    /// A German business with a VAT ID, billed by the Bulgarian seller: reverse charge, so an invoice's total is its
    /// net amount. The billing email is the sign-in email.
    /// </summary>
    public CustomerBuilder WithGermanBusiness(string name, string vatId = GermanVatId)
    {
        _information = new(name, "Friedrichstraße 68", "Berlin", "10117", "DE", _email, vatId);
        return this;
    }

    /// <summary>A saved card (the simulated gateway declines 0002, 0341 and 9995), the default unless one is already.</summary>
    public CustomerBuilder WithCard(string last4 = "4242", string brand = "Visa")
    {
        _cards.Add(new(brand, last4, IsDefault: _cards.Count == 0));
        return this;
    }

    /// <summary>An unapplied credit, applied first when the customer pays in that currency.</summary>
    public CustomerBuilder WithCredit(string currency, decimal amount)
    {
        _credits.Add(new(currency, amount, "Goodwill credit for a delayed license activation", Now.AddMonths(-2)));
        return this;
    }

    /// <summary>An invoice issued three days ago, not yet due.</summary>
    public CustomerBuilder WithOpenInvoice(string currency, decimal total) => Invoice(Now.AddDays(-3), currency, total, paid: false);

    /// <summary>An invoice issued two months ago, past due, its automatic attempts used up.</summary>
    public CustomerBuilder WithOverdueInvoice(string currency, decimal total) => Invoice(Now.AddMonths(-2), currency, total, paid: false);

    /// <summary>An invoice issued <paramref name="monthsAgo"/> months ago and paid with the default card the next day.</summary>
    public CustomerBuilder WithPaidInvoice(string currency, decimal total, int monthsAgo = 6) => Invoice(Now.AddMonths(-monthsAgo), currency, total, paid: true);

    /// <summary>An active subscription activated <paramref name="activatedDaysAgo"/> days ago (renewed since if its term has passed).</summary>
    public CustomerBuilder WithSubscription(string plan, string currency, int seats = 1, int activatedDaysAgo = 30, bool autoRenew = true)
    {
        _subscriptions.Add(new(plan, currency, seats, Today.AddDays(-activatedDaysAgo), autoRenew));
        return this;
    }

    /// <summary>
    /// An active subscription activated on <paramref name="activatedOn"/> (a date of the portal's calendar, for a portal
    /// whose clock stands on a known day) and renewed every term since.
    /// </summary>
    public CustomerBuilder WithSubscriptionActivatedOn(DateOnly activatedOn, string plan, string currency, int seats = 1)
    {
        _subscriptions.Add(new(plan, currency, seats, activatedOn));
        return this;
    }

    /// <summary>An active subscription whose current term (a month or a year, by its plan) ends in <paramref name="days"/> days.</summary>
    public CustomerBuilder WithSubscriptionRenewingIn(int days, string plan, string currency, int seats = 1)
    {
        var termStart = plan.EndsWith("-monthly", StringComparison.Ordinal) ? Today.AddMonths(-1) : Today.AddYears(-1);
        _subscriptions.Add(new(plan, currency, seats, termStart.AddDays(days)));
        return this;
    }

    /// <summary>A subscription that ended without renewal some weeks ago.</summary>
    public CustomerBuilder WithExpiredSubscription(string plan, string currency, int seats = 1)
    {
        _subscriptions.Add(new(plan, currency, seats, Today.AddYears(-1).AddDays(-40), AutoRenew: false, Expired: true));
        return this;
    }

    /// <summary>A grant of Chaos Cloud credits, valid for a year, with <paramref name="used"/> already used.</summary>
    public CustomerBuilder WithCloudCredits(decimal amount, decimal used = 0m)
    {
        _cloudCredits.Add(new("Welcome credits", amount, Now.AddDays(-1), Today.AddYears(1), used, Today));
        return this;
    }

    public CustomerSeed Build() => new(
        _name, _email, "Rendering2026x", _country, _role,
        _information is null ? null : new BillingSeed(_information, _cards, _credits, _invoices),
        _subscriptions, _cloudCredits);

    private CustomerBuilder Invoice(DateTime issuedUtc, string currency, decimal total, bool paid)
    {
        if (_information is null)
        {
            throw new InvalidOperationException("Add the billing information (WithGermanBusiness) before invoices: an invoice is made out to it.");
        }
        _invoices.Add(new(issuedUtc, currency, "Chaos Cloud credits", 1, total, paid));
        return this;
    }
}

/// <summary>What <see cref="CustomerBuilder"/> describes: the account, and for each module what it seeds.</summary>
internal sealed record CustomerSeed(
    string Name, string Email, string Password, string Country, string? Role,
    BillingSeed? Billing, IReadOnlyList<SubscriptionSeed> Subscriptions, IReadOnlyList<CloudCreditSeed> CloudCredits);

/// <summary>A customer in the portal's database: how to sign in, and the facts the journey may assert.</summary>
internal sealed record SeededCustomer(CustomerSeed Seed, IReadOnlyList<Guid> SubscriptionIds)
{
    public string Email => Seed.Email;
    public string Password => Seed.Password;
    public string BillingName => Seed.Billing?.BillingInformation.Name ?? throw new InvalidOperationException("No billing information seeded.");
    public string VatId => Seed.Billing?.BillingInformation.VatId ?? throw new InvalidOperationException("No VAT ID seeded.");
    public int InvoiceCount => Seed.Billing?.Invoices.Count ?? 0;
    public int ActiveSubscriptionCount => Seed.Subscriptions.Count(s => !s.Expired);
}
