using System.Text.RegularExpressions;

namespace ChaosModular.E2E.Pages;

/// <summary>
/// /products/{id}: one subscription's offering. Its product and plan, seats, current period and renewal date,
/// auto-renewal with its cut-off date, licence key, payment method, + Add seats and Upgrade, and its orders.
/// </summary>
public sealed partial class OfferingPage(IPage page, string subscriptionId) : PortalPage(page)
{
    public string SubscriptionId { get; } = subscriptionId;

    protected override string Path => $"/products/{SubscriptionId}";

    /// <summary>The product's name ("V-Ray Premium").</summary>
    public ILocator ProductTitle => Page.GetByTestId("product-title");

    /// <summary>"Active" or "Expired".</summary>
    public ILocator Status => Page.GetByTestId("status");

    /// <summary>"Annual, 699.00 EUR per seat".</summary>
    public ILocator Plan => Page.Locator("dt", new() { HasText = "Plan" }).Locator("xpath=following-sibling::dd[1]");

    public ILocator Seats => Page.GetByTestId("seats");

    /// <summary>"2026-11-08 – 2027-11-07".</summary>
    public ILocator Period => Page.GetByTestId("period");

    public ILocator RenewsOn => Page.GetByTestId("renews-on");

    /// <summary>"On: renews on … and charges your default payment method." or "Off: the subscription ends on …".</summary>
    public ILocator AutoRenewal => Page.GetByTestId("auto-renewal");

    /// <summary>Until when auto-renewal can be switched, or since when it could not.</summary>
    public ILocator Cutoff => Page.GetByTestId("cutoff");

    public ILocator DisableAutoRenewalButton => Page.GetByTestId("disable-auto-renewal");
    public ILocator EnableAutoRenewalButton => Page.GetByTestId("enable-auto-renewal");
    public ILocator LicenseKey => Page.GetByTestId("license-key");
    public ILocator PaymentMethod => Page.GetByTestId("payment-method");
    public ILocator AddSeatsLink => Page.GetByTestId("add-seats");
    public ILocator UpgradeLink => Page.GetByTestId("upgrade");
    public ILocator Error => Page.GetByTestId("error");

    /// <summary>The orders of this subscription, newest first: date, order, amount, invoice, status.</summary>
    public ILocator OrderRows => Page.GetByTestId("orders").Locator("tbody tr");

    /// <summary>The order rows that describe <paramref name="order"/> ("2 added seat(s)").</summary>
    public ILocator Order(string order) => OrderRows.Filter(new() { HasText = order });

    /// <summary>Waits until the browser shows an offering page (after a redirect) and knows which subscription it is.</summary>
    public static async Task<OfferingPage> ExpectOpenAsync(IPage page)
    {
        await Expect(page).ToHaveURLAsync(OfferingAddress());
        var offering = new OfferingPage(page, OfferingAddress().Match(page.Url).Groups["id"].Value);
        await Expect(offering.ProductTitle).ToBeVisibleAsync();
        return offering;
    }

    public static async Task<OfferingPage> OpenAsync(IPage page, string subscriptionId)
    {
        var offering = new OfferingPage(page, subscriptionId);
        await offering.GotoAsync();
        await Expect(offering.ProductTitle).ToBeVisibleAsync();
        return offering;
    }

    public async Task<DateOnly> ReadRenewsOnAsync() => Dates.Parse(await RenewsOn.InnerTextAsync());

    /// <summary>The first day of the current period (the period ends the day before the renewal).</summary>
    public async Task<DateOnly> ReadPeriodStartAsync() => Dates.Parse((await Period.InnerTextAsync()).Trim()[..10]);

    public async Task DisableAutoRenewalAsync()
    {
        await DisableAutoRenewalButton.ClickAsync();
        await Expect(Flash).ToContainTextAsync("Auto-renewal is off.");
    }

    public async Task EnableAutoRenewalAsync()
    {
        await EnableAutoRenewalButton.ClickAsync();
        await Expect(Flash).ToContainTextAsync("Auto-renewal is on.");
    }

    public async Task<AddSeatsPage> OpenAddSeatsAsync()
    {
        await AddSeatsLink.ClickAsync();
        var addSeats = new AddSeatsPage(Page, SubscriptionId);
        await addSeats.ExpectOpenAsync();
        return addSeats;
    }

    public async Task<UpgradePage> OpenUpgradeAsync()
    {
        await UpgradeLink.ClickAsync();
        var upgrade = new UpgradePage(Page, SubscriptionId);
        await upgrade.ExpectOpenAsync();
        return upgrade;
    }

    [GeneratedRegex(@"/products/(?<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")]
    private static partial Regex OfferingAddress();
}
