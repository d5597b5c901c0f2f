using System.Text;
using ChaosModular.Licensing.Domain;
using ChaosModular.Organizations.Domain;

namespace ChaosModular.UnitTests.Organizations;

/// <summary>Whether allocation requests fit the organization's free seats (all or nothing), and the allocation file's rows.</summary>
public sealed class AllocationRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 30);
    private static readonly Guid Premium = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly Guid PremiumLonger = Guid.Parse("00000000-0000-0000-0000-000000000002");
    private static readonly Guid Solo = Guid.Parse("00000000-0000-0000-0000-000000000003");

    private static PoolLicense License(Guid id, string code, int free, DateOnly expiresOn) =>
        new(id, code, code == "vray-premium" ? "V-Ray Premium" : "V-Ray Solo", free, expiresOn);

    private static AllocationWish Wish(string user, string product, int seats = 1, DateOnly? until = null) =>
        new(user, $"{user}@example.com", product, seats, until ?? Today.AddDays(30));

    [Fact]
    public void Requests_within_the_free_seats_fit_and_each_goes_on_a_license()
    {
        var plan = AllocationPlan.Make([Wish("anna", "vray-premium", 2), Wish("ben", "vray-premium"), Wish("anna", "vray-solo")],
            [License(Premium, "vray-premium", 3, Today.AddDays(100)), License(Solo, "vray-solo", 1, Today.AddDays(100))], Today);

        Assert.True(plan.Fits);
        Assert.Equal([(Premium, 3), (Solo, 1)], plan.PerLicense.Select(p => (p.LicenseId, p.Seats)).OrderBy(p => p.LicenseId));
    }

    [Fact]
    public void A_request_short_of_seats_is_refused_whole_with_the_shortfall_per_product()
    {
        var plan = AllocationPlan.Make(
            [Wish("anna", "vray-premium", 2), Wish("ben", "vray-premium", 2), Wish("cleo", "vray-premium"), Wish("anna", "vray-solo")],
            [License(Premium, "vray-premium", 2, Today.AddDays(100)), License(Solo, "vray-solo", 5, Today.AddDays(100))], Today);

        Assert.False(plan.Fits);
        Assert.Empty(plan.Assignments);
        var shortfall = Assert.Single(plan.Shortfalls);
        Assert.Equal(("vray-premium", 5, 2), (shortfall.ProductCode, shortfall.Needed, shortfall.Free));
        Assert.Equal("V-Ray Premium: 3 more seats needed, 2 free.", shortfall.Message);
    }

    [Fact]
    public void Exactly_the_free_seats_fit_and_one_more_does_not()
    {
        var pool = new[] { License(Premium, "vray-premium", 2, Today.AddDays(100)) };

        Assert.True(AllocationPlan.Make([Wish("anna", "vray-premium"), Wish("ben", "vray-premium")], pool, Today).Fits);
        var over = AllocationPlan.Make([Wish("anna", "vray-premium"), Wish("ben", "vray-premium"), Wish("cleo", "vray-premium")], pool, Today);
        Assert.Equal("V-Ray Premium: 1 more seat needed, 2 free.", Assert.Single(over.Shortfalls).Message);
    }

    [Fact]
    public void The_expiration_date_may_be_today_or_the_license_last_day_but_not_before_or_after()
    {
        var last = Today.AddDays(100);
        var pool = new[] { License(Premium, "vray-premium", 5, last) };

        Assert.True(AllocationPlan.Make([Wish("anna", "vray-premium", until: Today)], pool, Today).Fits);
        Assert.True(AllocationPlan.Make([Wish("anna", "vray-premium", until: last)], pool, Today).Fits);
        var late = AllocationPlan.Make([Wish("anna", "vray-premium", until: last.AddDays(1))], pool, Today);
        Assert.Equal("V-Ray Premium: the expiration date 2027-03-11 is after the license's last day, 2027-03-10. Choose 2027-03-10 or earlier.", Assert.Single(late.Problems));
        var past = AllocationPlan.Make([Wish("anna", "vray-premium", until: Today.AddDays(-1))], pool, Today);
        Assert.Equal("The expiration date 2026-11-29 is in the past: choose today (2026-11-30) or a later day.", Assert.Single(past.Problems));
        Assert.Empty(past.Assignments);
    }

    [Fact]
    public void An_allocation_goes_on_the_license_ending_first_among_those_lasting_until_its_date()
    {
        var pool = new[] { License(Premium, "vray-premium", 1, Today.AddDays(50)), License(PremiumLonger, "vray-premium", 1, Today.AddDays(200)) };

        var plan = AllocationPlan.Make([Wish("long", "vray-premium", until: Today.AddDays(150)), Wish("short", "vray-premium", until: Today.AddDays(20))], pool, Today);

        Assert.True(plan.Fits);
        Assert.Equal([("long", PremiumLonger), ("short", Premium)], plan.Assignments.Select(a => (a.Wish.UserId, a.LicenseId)));
    }

    [Fact]
    public void Free_seats_split_across_licenses_that_cannot_hold_one_allocation_are_said_so()
    {
        var pool = new[] { License(Premium, "vray-premium", 1, Today.AddDays(50)), License(PremiumLonger, "vray-premium", 1, Today.AddDays(200)) };

        var plan = AllocationPlan.Make([Wish("anna", "vray-premium", seats: 2)], pool, Today);

        Assert.Contains("2 seats are free, but not on one license", Assert.Single(plan.Shortfalls).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_product_the_organization_has_no_active_license_of_and_zero_seats_are_problems()
    {
        var plan = AllocationPlan.Make([Wish("anna", "phoenix"), Wish("ben", "vray-premium", seats: 0)], [License(Premium, "vray-premium", 5, Today.AddDays(10))], Today);

        Assert.False(plan.Fits);
        Assert.Contains("The number of licenses must be at least 1.", plan.Problems);
        Assert.Contains("phoenix: the organization has no active license of this product.", plan.Problems);
        Assert.False(AllocationPlan.Make([], [License(Premium, "vray-premium", 5, Today.AddDays(10))], Today).Fits);
    }

    private static (IReadOnlyList<AllocationCsvRow> Rows, string? Problem) Read(string text, bool bom = false) =>
        AllocationCsv.Read([.. (bom ? Encoding.UTF8.GetPreamble() : []), .. Encoding.UTF8.GetBytes(text)]);

    private static readonly AllocatableProduct[] Products = [new("vray-premium", "V-Ray Premium", new DateOnly(2027, 6, 30))];

    [Fact]
    public void The_template_reads_as_two_rows_naming_the_product_by_code_and_by_name()
    {
        var (rows, problem) = Read(AllocationCsv.Template);

        Assert.Null(problem);
        Assert.Equal(["vray-premium", "vray-premium"], rows.Select(r => AllocationCsv.ProductOf(r.Product, Products)!.Code));
        Assert.All(rows, r => Assert.Equal(new DateOnly(2027, 1, 31), r.ExpiresOn));
    }

    [Theory]
    [InlineData(false, "email,product,expires\nanna@example.com,vray-premium,2027-01-31\n")]
    [InlineData(true, "email;product;expires\r\nanna@example.com;VRAY-PREMIUM;2027-01-31\r\n")]
    [InlineData(false, "\"expires\",\"email\",\"product\"\n\"2027-01-31\",\"anna@example.com\",\"v-ray premium\"\n\n")]
    public void Bom_semicolons_quotes_column_order_and_blank_lines_read_the_same(bool bom, string text)
    {
        var (rows, problem) = Read(text, bom);

        Assert.Null(problem);
        var row = Assert.Single(rows);
        Assert.Equal(("anna@example.com", "vray-premium", new DateOnly(2027, 1, 31)), (row.Email, AllocationCsv.ProductOf(row.Product, Products)!.Code, row.ExpiresOn!.Value));
    }

    [Theory]
    [InlineData("", "The file is empty")]
    [InlineData("email,role\nanna@example.com,Member\n", "header email,product,expires")]
    [InlineData("email,product,expires\n\"anna@example.com,vray-premium,2027-01-31\n", "not valid CSV")]
    public void Files_that_cannot_be_read_are_refused_whole(string text, string message)
    {
        var (rows, problem) = Read(text);

        Assert.Empty(rows);
        Assert.Contains(message, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_over_5_MB_or_not_text_is_refused_whole()
    {
        Assert.Contains("larger than 5 MB", AllocationCsv.Read(new byte[AllocationCsv.MaxBytes + 1]).Problem, StringComparison.Ordinal);
        Assert.Contains("not UTF-8 text", AllocationCsv.Read([0xff, 0xfe, 0x00, 0x41]).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_row_gets_its_problem_in_the_order_a_reader_fixes_them()
    {
        var (rows, _) = Read("""
            email,product,expires
            anna@example.com,vray-premium,2027-01-31
            not-an-email,vray-premium,2027-01-31
            stranger@example.com,vray-premium,2027-01-31
            ben@example.com,phoenix,2027-01-31
            ben@example.com,vray-premium,31/01/2027
            ben@example.com,vray-premium,2026-11-29
            ben@example.com,vray-premium,2027-07-01
            ANNA@example.com,V-Ray Premium,2027-02-01
            ben@example.com,vray-premium,2027-06-30
            """);

        var members = new HashSet<string>(["anna@example.com", "ben@example.com"], StringComparer.OrdinalIgnoreCase);
        var states = AllocationCsv.Review(rows, members.Contains, Products, Today).Select(r => r.State);

        Assert.Equal([AllocationRowState.Ready, AllocationRowState.InvalidEmail, AllocationRowState.NotInOrganization, AllocationRowState.UnknownProduct,
            AllocationRowState.InvalidDate, AllocationRowState.DateInPast, AllocationRowState.AfterLicenseEnds, AllocationRowState.DuplicateInFile,
            AllocationRowState.Ready], states);
    }
}
