using ChaosModular.Licensing.Domain;

namespace ChaosModular.UnitTests.Licensing;

public sealed class LicensingRulesTests
{
    [Theory]
    [InlineData(5, 0, 0, 0, 5, 0)]
    [InlineData(5, 2, 1, 0, 2, 0)]
    [InlineData(5, 3, 2, 0, 0, 0)]
    [InlineData(5, 1, 1, 2, 1, 0)]   // two seats allocated to organization members are not free for servers
    [InlineData(3, 3, 2, 0, 0, 2)]   // seats reduced to 3 while 5 were taken: nothing free, 2 to end
    [InlineData(3, 1, 0, 4, 0, 2)]   // allocations count as taken too
    [InlineData(0, 1, 0, 0, 0, 1)]   // expired with a lease left
    public void Availability_is_the_quantity_less_what_servers_hold_what_is_borrowed_and_what_is_allocated_never_below_zero(int quantity, int inUse, int borrowed, int allocated, int available, int over)
    {
        var a = new Availability(quantity, inUse, borrowed, allocated);

        Assert.Equal(available, a.Available);
        Assert.Equal(over, a.OverAllocated);
    }

    [Fact]
    public void The_bar_shares_add_up_to_the_whole_and_never_past_it()
    {
        Assert.Equal((40, 20, 0, 40), new Availability(5, 2, 1, 0).Percentages());
        Assert.Equal((20, 20, 40, 20), new Availability(5, 1, 1, 2).Percentages());
        Assert.Equal((50, 25, 25, 0), new Availability(3, 2, 1, 1).Percentages());
        Assert.Equal((0, 0, 0, 0), new Availability(0, 0, 0, 0).Percentages());
    }

    [Fact]
    public void An_expired_license_has_no_seat_free()
    {
        var license = License.For(Guid.NewGuid(), "customer", DateTime.UtcNow);
        license.Follow("vray-solo", "vray", "FloatingWorkstation", 4, new DateOnly(2026, 6, 30), active: false, DateTime.UtcNow);

        Assert.Equal(0, license.Availability.Available);
        Assert.Equal(LicenseState.Expired, license.State);
    }

    [Fact]
    public void Following_the_same_subscription_state_again_changes_nothing()
    {
        var license = License.For(Guid.NewGuid(), "customer", DateTime.UtcNow);
        Assert.True(license.Follow("vray-solo", "vray", "FloatingWorkstation", 2, new DateOnly(2027, 2, 28), true, DateTime.UtcNow));
        var version = license.Version;

        Assert.False(license.Follow("vray-solo", "vray", "FloatingWorkstation", 2, new DateOnly(2027, 2, 28), true, DateTime.UtcNow));
        Assert.Equal(version, license.Version);
        Assert.True(license.Follow("vray-solo", "vray", "FloatingWorkstation", 3, new DateOnly(2027, 2, 28), true, DateTime.UtcNow));
        Assert.NotEqual(version, license.Version);
    }

    [Theory]
    [InlineData("FloatingWorkstation", "Floating workstation")]
    [InlineData("RenderNode", "Render node")]
    [InlineData("FixedSeat", "Fixed seat")]
    [InlineData(null, "–")]
    public void License_types_read_as_words(string? type, string label) => Assert.Equal(label, LicenseTypes.Label(type));
}
