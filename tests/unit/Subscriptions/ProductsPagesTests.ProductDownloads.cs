using System.Net;
using System.Text.RegularExpressions;
using ChaosModular.Subscriptions;
using ChaosModular.Subscriptions.Contracts;
using ChaosModular.Subscriptions.Features;
using ChaosModular.UnitTests.Billing;
using Microsoft.Extensions.Options;

namespace ChaosModular.UnitTests.Subscriptions;

/// <summary>A subscription's Download button: that product's builds, the visitor's system first, with size and release date.</summary>
public partial class ProductsPagesTests
{
    private const string WindowsChrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string MacSafari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15";
    private const string LinuxFirefox = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private const string AndroidChrome = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

    [Theory]
    [InlineData(WindowsChrome, "Windows", "Windows,macOS,Linux")]
    [InlineData(MacSafari, "macOS", "macOS,Windows,Linux")]
    [InlineData(LinuxFirefox, "Linux", "Linux,Windows,macOS")]
    [InlineData(AndroidChrome, null, "Windows,macOS,Linux")]
    public async Task A_rows_download_shows_that_products_builds_with_the_visitors_system_first_size_release_date_and_the_vendor_page(
        string userAgent, string? system, string order)
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 1, March1);
        Assert.Equal(system, ListDownloads.OperatingSystemOf(userAgent));

        using var request = new HttpRequestMessage(HttpMethod.Get, SubscriptionsRoutes.DownloadsFor("vray-solo"));
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        var response = await customer.Client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalClient.Decode(await response.Content.ReadAsStringAsync());
        Assert.Equal(order, string.Join(",", BuildRow().Matches(page).Select(m => m.Groups[1].Value)));
        Assert.Contains("vray_adv_71_win_x64.exe", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"build-size\">812 MB<", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"build-size\">689 MB<", page, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(page, "data-testid=\"build-released\">2026-06-16<"));
        Assert.DoesNotContain("corona", page, StringComparison.OrdinalIgnoreCase);
        var vendor = factory.Services.GetRequiredService<IOptions<SubscriptionsOptions>>().Value.VendorDownloadsUrl;
        Assert.Contains($"<a href=\"{vendor}\" rel=\"noopener\" data-testid=\"vendor-downloads\">", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_products_downloads_are_for_customers_with_an_active_subscription_to_it_only()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 1, March1);
        await customer.GiveSubscriptionAsync("phoenix-annual", "EUR", 1, new DateOnly(2025, 5, 1), autoRenew: false, expired: true);
        var stranger = await BillingCustomer.SignUpAsync(factory);

        Assert.Equal(HttpStatusCode.NotFound, (await customer.Client.GetAsync(SubscriptionsRoutes.DownloadsFor("phoenix"))).StatusCode);   // expired
        Assert.Equal(HttpStatusCode.NotFound, (await customer.Client.GetAsync(SubscriptionsRoutes.DownloadsFor("no-such-product"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(SubscriptionsRoutes.DownloadsFor("vray-solo"))).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("download.chaos.com")]
    [InlineData("ftp://download.chaos.com/")]
    public void The_vendor_downloads_address_must_be_an_absolute_web_address(string url) =>
        Assert.True(new SubscriptionsOptionsValidator().Validate(null, new SubscriptionsOptions { VendorDownloadsUrl = url }).Failed);

    [GeneratedRegex("data-testid=\"build\" data-os=\"([A-Za-z]+)\"")]
    private static partial Regex BuildRow();
}
