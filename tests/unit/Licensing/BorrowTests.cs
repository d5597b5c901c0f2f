using System.Net;
using System.Text.RegularExpressions;
using ChaosModular.Licensing.Contracts;
using ChaosModular.Licensing.Data;
using ChaosModular.Licensing.Domain;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.Subscriptions;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>
/// Borrowing seats for offline use through the Borrow page: the seats count as borrowed until returned, the signed
/// borrow file is bound to the machine and its return date, and every limit is said on the page without writing anything.
/// </summary>
public sealed partial class BorrowTests(ProductsPortalFactory factory) : IClassFixture<ProductsPortalFactory>
{
    private static readonly DateOnly Today = ProductsPortalFactory.Today;   // 2026-07-02; V-Ray Solo borrows for at most 7 days

    private static async Task<string> Page(PortalClient client, string path) => PortalClient.Decode(await client.GetPageAsync(path));

    private static Task<HttpResponseMessage> BorrowAsync(PortalClient client, Guid licenseId, int seats, string machine, DateOnly? returnOn) =>
        client.SubmitAsync(LicensingRoutes.Borrow, new Dictionary<string, string>
        {
            ["Form.LicenseId"] = licenseId.ToString(),
            ["Form.Seats"] = seats.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Form.Machine"] = machine,
            ["Form.ReturnOn"] = returnOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "",
        });

    private static Guid BorrowIdFrom(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/licensing/borrows/", location, StringComparison.Ordinal);
        return Guid.Parse(location["/licensing/borrows/".Length..]);
    }

    [Fact]
    public async Task Borrowing_two_seats_takes_them_from_the_servers_until_they_are_returned()
    {
        var (customer, licenseId) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 3);
        var form = await Page(customer.Client, LicensingRoutes.Borrow);
        Assert.Contains($"<option value=\"{licenseId}\"", form, StringComparison.Ordinal);
        Assert.Contains("V-Ray Solo: 3 of 3 free, up to 7 days", form, StringComparison.Ordinal);
        Assert.Contains("min=\"2026-07-03\" max=\"2026-07-09\"", form, StringComparison.Ordinal);

        var borrowId = BorrowIdFrom(await BorrowAsync(customer.Client, licenseId, 2, "laptop-anna", Today.AddDays(5)));

        var license = await factory.LicenseAsync(licenseId);
        Assert.Equal((2, 0, 1), (license.Borrowed, license.InUse, license.Availability.Available));
        var details = await Page(customer.Client, LicensingRoutes.Borrowed(borrowId));
        Assert.Contains("2 seat(s) borrowed for laptop-anna", details, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"borrow-return-by\">2026-07-07 23:59 UTC<", details, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"borrow-state\">Borrowed<", details, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"download-borrow-file\"", details, StringComparison.Ordinal);
        Assert.Contains("data-borrowed=\"2\"", await Page(customer.Client, LicensingRoutes.License(licenseId)), StringComparison.Ordinal);
        var servers = await Page(customer.Client, LicensingRoutes.Servers);
        Assert.Contains($"data-testid=\"borrow-row\" data-borrow=\"{borrowId}\" data-seats=\"2\"", servers, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"borrow-machine\">laptop-anna<", servers, StringComparison.Ordinal);

        var download = await customer.Client.GetAsync(LicensingRoutes.BorrowFile(borrowId));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("application/json", download.Content.Headers.ContentType?.MediaType);
        var payload = await LicenseServerScenario.VerifyWithPublishedKeysAsync(customer.Client.Http, await download.Content.ReadAsStringAsync(), "chaos.license-borrow");
        Assert.Equal(borrowId, payload.GetProperty("borrowId").GetGuid());
        Assert.Equal(licenseId, payload.GetProperty("licenseId").GetGuid());
        Assert.Equal(("vray-solo", "V-Ray Solo", 2, "laptop-anna"),
            (payload.GetProperty("product").GetString(), payload.GetProperty("productName").GetString(), payload.GetProperty("seats").GetInt32(), payload.GetProperty("machine").GetString()));
        Assert.Equal(new DateTime(2026, 7, 7, 23, 59, 59, DateTimeKind.Utc), payload.GetProperty("returnBy").GetDateTime().ToUniversalTime());
        Assert.Equal(new DateTime(2026, 7, 2, 10, 0, 0, DateTimeKind.Utc), payload.GetProperty("borrowedAt").GetDateTime().ToUniversalTime());
        Assert.Equal(await factory.CustomerNumberAsync(customer.UserId), payload.GetProperty("account").GetString());

        var returned = await customer.Client.PostFromAsync(LicensingRoutes.Borrowed(borrowId), LicensingRoutes.Borrowed(borrowId) + "?handler=Return");

        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);
        license = await factory.LicenseAsync(licenseId);
        Assert.Equal((0, 3), (license.Borrowed, license.Availability.Available));
        var after = await Page(customer.Client, LicensingRoutes.Borrowed(borrowId));
        Assert.Contains("2 borrowed seat(s) returned", after, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"borrow-state\">Returned<", after, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"return-borrow\"", after, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.Client.GetAsync(LicensingRoutes.BorrowFile(borrowId))).StatusCode);
        Assert.Contains("data-testid=\"borrows-empty\"", await Page(customer.Client, LicensingRoutes.Servers), StringComparison.Ordinal);
        var borrow = await factory.InLicensing(db => db.Borrows.AsNoTracking().SingleAsync(b => b.Id == borrowId));
        Assert.Equal(SeatsEnded.Released, borrow.EndReason);
    }

    [Fact]
    public async Task Returning_from_the_servers_page_goes_back_there_and_from_the_license_page_back_to_the_license()
    {
        var (customer, licenseId) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 3);
        var first = BorrowIdFrom(await BorrowAsync(customer.Client, licenseId, 1, "laptop-ben", Today.AddDays(1)));
        var second = BorrowIdFrom(await BorrowAsync(customer.Client, licenseId, 1, "laptop-cleo", Today.AddDays(7)));
        var licensePage = await Page(customer.Client, LicensingRoutes.License(licenseId));
        Assert.Equal(2, Regex.Count(licensePage, "data-testid=\"license-borrow-row\""));
        Assert.Contains(">laptop-ben</a>", licensePage, StringComparison.Ordinal);
        Assert.Contains(">laptop-cleo</a>", licensePage, StringComparison.Ordinal);

        var fromServers = await customer.Client.PostFromAsync(LicensingRoutes.Servers, LicensingRoutes.Borrowed(first) + "?handler=Return",
            new Dictionary<string, string> { ["back"] = "servers" });
        var fromLicense = await customer.Client.PostFromAsync(LicensingRoutes.License(licenseId), LicensingRoutes.Borrowed(second) + "?handler=Return",
            new Dictionary<string, string> { ["back"] = "license" });

        Assert.Equal(LicensingRoutes.Servers, fromServers.Headers.Location!.OriginalString);
        Assert.Equal(LicensingRoutes.License(licenseId), fromLicense.Headers.Location!.OriginalString);
        Assert.Equal(0, (await factory.LicenseAsync(licenseId)).Borrowed);
    }

    [Fact]
    public async Task Each_bad_input_gets_its_message_and_nothing_is_borrowed()
    {
        var (customer, licenseId) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 3);
        var before = await factory.FootprintAsync(customer.UserId, licenseId);

        var tooLong = await Refused(BorrowAsync(customer.Client, licenseId, 1, "laptop", Today.AddDays(8)));
        var today = await Refused(BorrowAsync(customer.Client, licenseId, 1, "laptop", Today));
        var noDate = await Refused(BorrowAsync(customer.Client, licenseId, 1, "laptop", null));
        var noSeats = await Refused(BorrowAsync(customer.Client, licenseId, 0, "laptop", Today.AddDays(2)));
        var noMachine = await Refused(BorrowAsync(customer.Client, licenseId, 1, "   ", Today.AddDays(2)));
        var longMachine = await Refused(BorrowAsync(customer.Client, licenseId, 1, new string('m', 101), Today.AddDays(2)));
        var noLicense = await Refused(BorrowAsync(customer.Client, Guid.NewGuid(), 1, "laptop", Today.AddDays(2)));

        Assert.Contains("V-Ray Solo seats can be borrowed for at most 7 days: return them by 2026-07-09 at the latest.", Error(tooLong, "return-on-error"), StringComparison.Ordinal);
        Assert.Contains("The return date must be tomorrow (2026-07-03) or later.", Error(today, "return-on-error"), StringComparison.Ordinal);
        Assert.Contains("Choose the date the seats come back.", Error(noDate, "return-on-error"), StringComparison.Ordinal);
        Assert.Contains("Borrow 1–1000 seats.", Error(noSeats, "seats-error"), StringComparison.Ordinal);
        Assert.Contains("Name the machine", Error(noMachine, "machine-error"), StringComparison.Ordinal);
        Assert.Contains("at most 100 characters", Error(longMachine, "machine-error"), StringComparison.Ordinal);
        Assert.Contains("Choose one of your floating workstation licenses.", Error(noLicense, "license-error"), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"borrow-problems\"", tooLong, StringComparison.Ordinal);
        Assert.Equal(before, await factory.FootprintAsync(customer.UserId, licenseId));
    }

    [Fact]
    public async Task The_return_date_is_never_after_the_license_ends()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        // Monthly from 2026-06-05: paid until 2026-07-04, two days from today.
        var licenseId = await customer.GiveLicenseAsync("corona-solo-monthly", 2, new DateOnly(2026, 6, 5));
        Assert.Equal(new DateOnly(2026, 7, 4), (await factory.LicenseAsync(licenseId)).ExpiresOn);
        Assert.Contains("data-last=\"2026-07-04\"", await Page(customer.Client, LicensingRoutes.Borrow), StringComparison.Ordinal);

        var page = await Refused(BorrowAsync(customer.Client, licenseId, 1, "laptop", Today.AddDays(3)));

        Assert.Contains("The license ends on 2026-07-04: return the seats by then.", Error(page, "return-on-error"), StringComparison.Ordinal);
        BorrowIdFrom(await BorrowAsync(customer.Client, licenseId, 1, "laptop", new DateOnly(2026, 7, 4)));
    }

    [Fact]
    public async Task More_seats_than_are_free_are_refused_as_no_seats_free_and_nothing_is_written()
    {
        var (customer, licenseId) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 3);
        await customer.Client.ActivateAsync(new ActivationRequestBuilder(factory.Clock!.GetUtcNow().UtcDateTime.AddMinutes(-5)).Seats("vray-solo", 2));
        var before = await factory.FootprintAsync(customer.UserId, licenseId);

        var page = await Refused(BorrowAsync(customer.Client, licenseId, 2, "laptop", Today.AddDays(3)));

        Assert.Contains("No seats free for 2 more: 1 of the license's 3 are free (2 in use, 0 borrowed, 0 allocated)", Error(page, "seats-error"), StringComparison.Ordinal);
        Assert.Equal(before, await factory.FootprintAsync(customer.UserId, licenseId));
        Assert.Equal(0, before.Borrows);
    }

    [Fact]
    public async Task Fixed_seat_and_render_node_licenses_are_not_offered_and_are_refused()
    {
        var (customer, floating) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 1);
        var fixedSeat = await customer.GiveLicenseAsync("enscape-fixed-annual", 2);
        var renderNode = await factory.InLicensing(async db =>
        {
            // The catalog sells no render node product yet: a license of one, as Licensing would hold it.
            var license = License.For(Guid.NewGuid(), customer.UserId, DateTime.UtcNow);
            license.Follow("vray-render-node", "vray", "RenderNode", 5, new DateOnly(2027, 2, 28), active: true, DateTime.UtcNow);
            db.Licenses.Add(license);
            await db.SaveChangesAsync();
            return license.Id;
        });

        var form = await Page(customer.Client, LicensingRoutes.Borrow);
        Assert.Contains($"<option value=\"{floating}\"", form, StringComparison.Ordinal);
        Assert.DoesNotContain(fixedSeat.ToString(), form, StringComparison.Ordinal);
        Assert.DoesNotContain(renderNode.ToString(), form, StringComparison.Ordinal);

        var fixedRefused = await Refused(BorrowAsync(customer.Client, fixedSeat, 1, "laptop", Today.AddDays(2)));
        var renderRefused = await Refused(BorrowAsync(customer.Client, renderNode, 1, "laptop", Today.AddDays(2)));

        Assert.Contains("Enscape Fixed Seat is a fixed seat license: only floating workstation seats can be borrowed.", Error(fixedRefused, "license-error"), StringComparison.Ordinal);
        Assert.Contains("is a render node license: only floating workstation seats can be borrowed.", Error(renderRefused, "license-error"), StringComparison.Ordinal);
        Assert.Equal(0, await factory.InLicensing(db => db.Borrows.CountAsync(b => b.CustomerId == customer.UserId)));
        Assert.Equal((0, 0), ((await factory.LicenseAsync(fixedSeat)).Borrowed, (await factory.LicenseAsync(renderNode)).Borrowed));
    }

    [Fact]
    public async Task Another_customers_borrow_its_file_and_its_return_are_not_found()
    {
        var (owner, licenseId) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 2);
        var borrowId = BorrowIdFrom(await BorrowAsync(owner.Client, licenseId, 1, "laptop-owner", Today.AddDays(3)));
        var (stranger, _) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 1);

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(LicensingRoutes.Borrowed(borrowId))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(LicensingRoutes.BorrowFile(borrowId))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PostFromAsync(LicensingRoutes.Servers, LicensingRoutes.Borrowed(borrowId) + "?handler=Return")).StatusCode);
        var borrowingTheirs = await Refused(BorrowAsync(stranger.Client, licenseId, 1, "laptop-stranger", Today.AddDays(3)));

        Assert.Contains("Choose one of your floating workstation licenses.", Error(borrowingTheirs, "license-error"), StringComparison.Ordinal);
        Assert.Equal(1, (await factory.LicenseAsync(licenseId)).Borrowed);
        Assert.Null(await factory.InLicensing(db => db.Borrows.Where(b => b.Id == borrowId).Select(b => b.EndedUtc).SingleAsync()));
        Assert.DoesNotContain("laptop-owner", await Page(stranger.Client, LicensingRoutes.Servers), StringComparison.Ordinal);
    }

    private static async Task<string> Refused(Task<HttpResponseMessage> post)
    {
        var response = await post;
        var html = PortalClient.Decode(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"Expected the form again, got {(int)response.StatusCode}: {response.Headers.Location}");
        return html;
    }

    private static string Error(string page, string testId)
    {
        var match = Regex.Match(page, $"<span[^>]*data-testid=\"{testId}\"[^>]*>(.*?)</span>", RegexOptions.Singleline);
        Assert.True(match.Success, $"No {testId} on the page.");
        return match.Groups[1].Value;
    }
}
