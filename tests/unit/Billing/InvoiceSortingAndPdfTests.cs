using System.Diagnostics;
using System.Text.RegularExpressions;
using ChaosModular.Billing.Contracts;
using UglyToad.PdfPig;

namespace ChaosModular.UnitTests.Billing;

/// <summary>Billing › Invoices sorted by its columns (in the URL, with aria-sort), and invoice PDFs whose long lines wrap.</summary>
public sealed partial class InvoiceSortingAndPdfTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    private static async Task<string> Page(BillingCustomer customer, string path) => PortalClient.Decode(await customer.Client.GetPageAsync(path));

    private static List<string> Numbers(string page) => InvoiceRow().Matches(page).Select(m => m.Groups[1].Value).ToList();

    private static async Task<(BillingCustomer Customer, Dictionary<string, string> Numbers)> CustomerWithInvoicesAsync(PortalFactory portal)
    {
        var customer = await BillingCustomer.SignUpAsync(portal);
        var numbers = new Dictionary<string, string>();
        foreach (var (name, currency, price, day) in new[] { ("eur300", "EUR", 300m, 3), ("usd20", "USD", 20m, 1), ("eur50", "EUR", 50m, 2), ("usd900", "USD", 900m, 4) })
        {
            numbers[name] = (await customer.InvoiceAsync(currency, price, issuedUtc: new DateTime(2026, 1, day, 9, 0, 0, DateTimeKind.Utc))).Number;
        }
        return (customer, numbers);
    }

    [Fact]
    public async Task Amount_sorts_by_currency_then_amount_either_way_with_aria_sort_on_its_header()
    {
        var (customer, n) = await CustomerWithInvoicesAsync(factory);

        var ascending = await Page(customer, "/billing?sort=amount&dir=asc");
        var descending = await Page(customer, "/billing?sort=amount&dir=desc");

        Assert.Equal([n["eur50"], n["eur300"], n["usd20"], n["usd900"]], Numbers(ascending));
        Assert.Equal([n["eur300"], n["eur50"], n["usd900"], n["usd20"]], Numbers(descending));
        Assert.Matches("<th scope=\"col\" class=\"text-end\" aria-sort=\"ascending\"><a class=\"sort-link\" href=\"/billing\\?sort=amount&dir=desc\"", ascending);
        Assert.Single(AriaSort().Matches(ascending));
    }

    [Fact]
    public async Task Dates_numbers_and_status_sort_and_an_unknown_key_falls_back_to_newest_first()
    {
        var (customer, n) = await CustomerWithInvoicesAsync(factory);
        var newestFirst = new List<string> { n["usd900"], n["eur300"], n["eur50"], n["usd20"] };
        await customer.PayAsync(await InvoiceIdAsync(customer, n["eur50"]));

        Assert.Equal(newestFirst, Numbers(await Page(customer, "/billing")));
        Assert.Equal(newestFirst.AsEnumerable().Reverse(), Numbers(await Page(customer, "/billing?sort=issued&dir=asc")));
        Assert.Equal(newestFirst.Order(StringComparer.Ordinal), Numbers(await Page(customer, "/billing?sort=number")));
        var bogus = await Page(customer, "/billing?sort=password&dir=sideways");
        Assert.Equal(newestFirst, Numbers(bogus));
        Assert.Contains("aria-sort=\"descending\"><a class=\"sort-link\" href=\"/billing?sort=issued&dir=asc\" data-sort=\"issued\"", bogus, StringComparison.Ordinal);
        // Status as shown: the unpaid ones first, the paid one last.
        Assert.Equal(n["eur50"], Numbers(await Page(customer, "/billing?sort=status&dir=asc")).Last());
        Assert.Equal(n["eur50"], Numbers(await Page(customer, "/billing?sort=status&dir=desc")).First());
    }

    [Fact]
    public async Task The_sort_is_kept_by_the_filters_and_paging_and_headers_keep_the_filters()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        for (var i = 0; i < 22; i++)
        {
            await customer.InvoiceAsync("EUR", 10m + i, issuedUtc: new DateTime(2026, 1, 1, 9, 0, 0, DateTimeKind.Utc).AddDays(i));
        }

        var page = await Page(customer, "/billing?status=Unpaid&sort=due&dir=asc");

        Assert.Contains("href=\"/billing?status=Unpaid&sort=due&dir=asc&p=2\"", page, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"sort\" value=\"due\" />", page, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"dir\" value=\"asc\" />", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/billing?status=Unpaid&sort=amount&dir=asc\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/billing?status=Unpaid&sort=due&dir=desc\"", page, StringComparison.Ordinal);
    }

    private const string LongDescription = "Corona Solo: 3 added seat(s) × 49.90 EUR prorated from 2026-03-02 to 2027-01-14 (318 of 365 days), renewing with your annual subscription";

    private async Task<byte[]> PdfWithLongLineAsync()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("EUR", 130.44m, 3, LongDescription);
        return await (await customer.Client.Http.GetAsync(new Uri(BillingRoutes.InvoicePdf(invoice.InvoiceId), UriKind.Relative))).Content.ReadAsByteArrayAsync();
    }

    /// <summary>The invoice PDF passes <c>qpdf --check</c> with no warning (it warned about PDFsharp's unterminated Flate streams).</summary>
    [Fact]
    public async Task An_invoice_pdf_passes_qpdf_check_without_warnings() => await QpdfCheckAsync(await PdfWithLongLineAsync());

    [Fact]
    public async Task A_long_line_description_wraps_whole_in_the_pdf()
    {
        const string description = LongDescription;
        var bytes = await PdfWithLongLineAsync();

        using (var pdf = PdfDocument.Open(bytes))
        {
            var words = pdf.GetPages().SelectMany(p => p.GetWords()).ToList();
            var first = words.First(w => w.Text == "Corona");
            var last = words.Last(w => w.Text == "subscription");
            Assert.True(last.BoundingBox.Bottom < first.BoundingBox.Bottom - 5, "the description continues on a line below");
            // The description column, read line by line, is the whole description; none of it runs into the Period column.
            var period = words.First(w => w.Text == "Period");
            var column = words.Where(w => w.BoundingBox.Bottom <= first.BoundingBox.Bottom + 1 && w.BoundingBox.Bottom >= last.BoundingBox.Bottom - 1
                    && w.BoundingBox.Left < period.BoundingBox.Left)
                .OrderByDescending(w => Math.Round(w.BoundingBox.Bottom)).ThenBy(w => w.BoundingBox.Left).ToList();
            Assert.Equal(description, string.Join(" ", column.Select(w => w.Text)));
            Assert.All(column, w => Assert.True(w.BoundingBox.Right < period.BoundingBox.Left, $"'{w.Text}' runs into the Period column"));
        }
    }

    /// <summary>
    /// <c>qpdf --check</c> on the file when qpdf is installed (CI installs it: .ci/run): exit code 0 and no warning.
    /// Without qpdf the structural check is skipped, and the test says so in its output.
    /// </summary>
    private static readonly string[] QpdfLocations = ["/usr/bin/qpdf", "/usr/local/bin/qpdf"];

    internal static async Task QpdfCheckAsync(byte[] pdf)
    {
        var qpdf = QpdfLocations.FirstOrDefault(File.Exists);
        if (qpdf is null)
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") is null, "qpdf is not installed; .ci/run installs it");
            return;
        }
        var path = Path.Combine(Path.GetTempPath(), $"invoice-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo(qpdf, ["--check", path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, output);
            Assert.DoesNotContain("WARNING", output, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("No syntax or stream encoding errors found", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<Guid> InvoiceIdAsync(BillingCustomer customer, string number)
    {
        await using var scope = customer.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChaosModular.Billing.Data.BillingDbContext>();
        return await db.Invoices.Where(i => i.Number == number).Select(i => i.Id).SingleAsync();
    }

    [GeneratedRegex("<tr data-invoice=\"([^\"]+)\"")]
    private static partial Regex InvoiceRow();

    [GeneratedRegex("aria-sort=\"(ascending|descending)\"")]
    private static partial Regex AriaSort();
}
