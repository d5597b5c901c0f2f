using System.Globalization;
using System.Text.RegularExpressions;

namespace ChaosModular.E2E.Pages;

/// <summary>
/// What Active and Expired Products share: the Products tabs, the filters (product family, an expiration range,
/// currency; a GET form, so the filters end up in the address), Clear, and the table of subscriptions.
/// </summary>
public abstract class SubscriptionListPage(IPage page, string expiryLabel) : PortalPage(page)
{
    public ILocator Tab(string name) => Page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    /// <summary>Shown instead of the filters and the table when the customer has no such subscription.</summary>
    public ILocator EmptyState => Page.GetByTestId("empty-state");

    public ILocator FamilyFilter => Page.GetByLabel("Product family", new() { Exact = true });
    public ILocator ExpiresFromFilter => Page.GetByLabel($"{expiryLabel} from", new() { Exact = true });
    public ILocator ExpiresToFilter => Page.GetByLabel($"{expiryLabel} to", new() { Exact = true });
    public ILocator CurrencyFilter => Page.GetByLabel("Currency", new() { Exact = true });
    public ILocator FilterButton => Page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true });

    /// <summary>Only there while a filter is applied.</summary>
    public ILocator ClearLink => Page.GetByRole(AriaRole.Link, new() { Name = "Clear", Exact = true });

    /// <summary>Why the filters cannot be applied ("The 'from' date is after the 'to' date.").</summary>
    public ILocator FilterError => Page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Alert);

    /// <summary>"No active subscription matches these filters."</summary>
    public ILocator NoMatches => Page.GetByTestId("no-matches");

    public ILocator Table => Page.GetByTestId("subscriptions");

    public ILocator Rows => Table.GetByTestId("subscription-row");

    /// <summary>A column header's sort link ("product", "seats", "activated", "expires", "autorenewal").</summary>
    public ILocator SortLink(string key) => Table.GetByTestId($"sort-{key}");

    /// <summary>The one header that says how the table is sorted (its <c>aria-sort</c>).</summary>
    public ILocator SortedHeader => Table.Locator("th[aria-sort]");

    /// <summary>Sorts by a column from the keyboard: focus its header link, press Enter, wait for the address to say so.</summary>
    public async Task SortByKeyboardAsync(string key)
    {
        await SortLink(key).FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"[?&]sort={key}(&|$)"));
    }

    public Task FilterByFamilyAsync(string family) => FilterAsync(family: family);

    public Task FilterByCurrencyAsync(string currency) => FilterAsync(currency: currency);

    public Task FilterByExpirationAsync(DateOnly from, DateOnly to) => FilterAsync(from: from, to: to);

    /// <summary>
    /// Sets every filter (a family by its name, "V-Ray"; null leaves a filter empty) and presses Filter; waits
    /// until the address carries exactly these filters.
    /// </summary>
    public async Task FilterAsync(string? family = null, string? currency = null, DateOnly? from = null, DateOnly? to = null)
    {
        await FamilyFilter.SelectOptionAsync(new SelectOptionValue { Label = family ?? "All families" });
        await ExpiresFromFilter.FillAsync(from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "");
        await ExpiresToFilter.FillAsync(to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "");
        await CurrencyFilter.SelectOptionAsync(new SelectOptionValue { Label = currency ?? "All currencies" });
        var query = string.Join("&",
            $"family={Uri.EscapeDataString(await FamilyFilter.InputValueAsync())}",
            $"expiresFrom={await ExpiresFromFilter.InputValueAsync()}",
            $"expiresTo={await ExpiresToFilter.InputValueAsync()}",
            $"currency={Uri.EscapeDataString(await CurrencyFilter.InputValueAsync())}");
        await FilterButton.ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"{Regex.Escape(Path)}\\?{Regex.Escape(query)}$"));
    }

    /// <summary>Follows Clear: the list without filters, at the plain address.</summary>
    public async Task ClearAsync()
    {
        await ClearLink.ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"//[^/]+{Regex.Escape(Path)}$"));
    }

    protected ILocator RowLocator(string productName) =>
        Rows.Filter(new()
        {
            Has = Page.GetByTestId("product-name").Filter(new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(productName)}\\s*$") }),
        });
}

/// <summary>The portal writes every date as yyyy-MM-dd.</summary>
public static class Dates
{
    public static DateOnly Parse(string text) => DateOnly.ParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
