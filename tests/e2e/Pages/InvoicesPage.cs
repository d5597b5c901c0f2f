using System.Text.RegularExpressions;

namespace ChaosModular.E2E.Pages;

/// <summary>/billing, the Invoices tab: outstanding balance and credits per currency, filters, the invoice table.</summary>
public sealed partial class InvoicesPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/billing";

    /// <summary>One line per currency ("281.50 EUR"), or the single line "Nothing to pay".</summary>
    public ILocator Outstanding => Page.GetByTestId("outstanding");

    /// <summary>The amounts of <see cref="Outstanding"/>, one per currency (none when there is nothing to pay).</summary>
    public ILocator OutstandingAmounts => Outstanding.GetByRole(AriaRole.Listitem);

    public ILocator PayAllLink => Page.GetByTestId("pay-all");

    /// <summary>Unapplied credits per currency, or "None".</summary>
    public ILocator Credits => Page.GetByTestId("credits");

    public ILocator InvoiceNumberFilter => Page.GetByLabel("Invoice number", new() { Exact = true });
    public ILocator PaymentStatusFilter => Page.GetByLabel("Payment status", new() { Exact = true });
    public ILocator IssuedFromFilter => Page.GetByLabel("Issued from", new() { Exact = true });
    public ILocator IssuedToFilter => Page.GetByLabel("Issued to", new() { Exact = true });
    public ILocator FilterButton => Page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true });

    public ILocator Table => Page.GetByTestId("invoices");

    /// <summary>The invoice rows shown (not the "No invoices match" row).</summary>
    public ILocator Rows => Table.Locator("tbody tr[data-invoice]");

    public ILocator PaySelectedButton => Page.GetByTestId("pay-selected");

    public InvoiceRow Row(string number) => new(Table.Locator($"tbody tr[data-invoice=\"{number}\"]"), number);

    public static async Task<InvoicesPage> OpenAsync(IPage page)
    {
        var invoices = new InvoicesPage(page);
        await invoices.GotoAsync();
        await Expect(invoices.Outstanding).ToBeVisibleAsync();
        return invoices;
    }

    /// <summary>The number of the one invoice row whose total is <paramref name="total"/> ("116.50 EUR").</summary>
    public async Task<string> NumberOfInvoiceWithTotalAsync(string total)
    {
        var row = Rows.Filter(new() { Has = Page.Locator("td", new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(total)}\\s*$") }) });
        await Expect(row).ToHaveCountAsync(1);
        var number = await row.GetAttributeAsync("data-invoice");
        Assert.Matches(InvoiceNumber(), number);
        return number!;
    }

    /// <summary>Submits the filter form (a GET: the filters end up in the address).</summary>
    public async Task FilterAsync(string? number = null, string? status = null, string? issuedFrom = null, string? issuedTo = null)
    {
        await InvoiceNumberFilter.FillAsync(number ?? "");
        await PaymentStatusFilter.SelectOptionAsync(new SelectOptionValue { Label = status ?? "All" });
        await IssuedFromFilter.FillAsync(issuedFrom ?? "");
        await IssuedToFilter.FillAsync(issuedTo ?? "");
        await FilterButton.ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex(@"/billing\?"));
    }

    /// <summary>Follows the "Pay" link of one invoice to the review.</summary>
    public async Task<PayPage> PayAsync(string number)
    {
        await Row(number).PayLink.ClickAsync();
        return await PayPage.ExpectReviewAsync(Page);
    }

    /// <summary>Ticks these invoices (only these) and presses "Pay selected".</summary>
    public async Task<PayPage> PaySelectedAsync(params string[] numbers)
    {
        foreach (var checkbox in await Table.GetByRole(AriaRole.Checkbox).AllAsync())
        {
            await checkbox.UncheckAsync();
        }
        foreach (var number in numbers)
        {
            await Row(number).Checkbox.CheckAsync();
        }
        await PaySelectedButton.ClickAsync();
        return await PayPage.ExpectReviewAsync(Page);
    }

    public async Task<PayPage> PayAllAsync()
    {
        await PayAllLink.ClickAsync();
        return await PayPage.ExpectReviewAsync(Page);
    }

    /// <summary>Clicks "PDF ↓" of one invoice and returns what the browser downloaded.</summary>
    public async Task<(string FileName, byte[] Content)> DownloadPdfAsync(string number)
    {
        var download = await Page.RunAndWaitForDownloadAsync(() => Row(number).PdfLink.ClickAsync());
        var failure = await download.FailureAsync();
        Assert.True(failure is null, $"The download of {number} failed: {failure}");
        await using var stream = await download.CreateReadStreamAsync();
        using var content = new MemoryStream();
        await stream.CopyToAsync(content);
        return (download.SuggestedFilename, content.ToArray());
    }

    [GeneratedRegex(@"^INV-\d{4}-\d{6}$")]
    public static partial Regex InvoiceNumber();
}

/// <summary>One row of the invoice table.</summary>
public sealed class InvoiceRow(ILocator row, string number)
{
    public ILocator Locator => row;

    public string Number => number;

    /// <summary>Open, Overdue, Paid, Partly paid or Void.</summary>
    public ILocator Status => row.GetByTestId("status");

    /// <summary>Only payable invoices have one.</summary>
    public ILocator Checkbox => row.GetByRole(AriaRole.Checkbox, new() { Name = $"Select {number}", Exact = true });

    /// <summary>Only payable invoices have one.</summary>
    public ILocator PayLink => row.GetByRole(AriaRole.Link, new() { Name = $"Pay {number}", Exact = true });

    public ILocator PdfLink => row.GetByRole(AriaRole.Link, new() { Name = $"Download {number} as PDF", Exact = true });

    /// <summary>The day the invoice was issued, yyyy-MM-dd.</summary>
    public ILocator Issued => row.Locator("td").Nth(2);

    /// <summary>The invoice's total, "116.50 EUR".</summary>
    public ILocator Amount => row.Locator("td").Nth(4);

    /// <summary>The "Left to pay" cell: the balance, or "–" once paid.</summary>
    public ILocator LeftToPay => row.Locator("td").Nth(5);
}
