using ChaosModular.CloudCredits.Contracts;
using ChaosModular.CloudCredits.Domain;

namespace ChaosModular.UnitTests.CloudCredits;

/// <summary>Which pool pays, and the arithmetic of a debit: allocation cap against the pool, unlimited, expiry order.</summary>
public sealed class CreditPoolRulesTests
{
    private static readonly DateOnly Today = new(2026, 6, 15);

    private static PoolGrant Grant(decimal remaining, DateOnly expires, int grantedDaysAgo = 10, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), remaining, expires, Today.AddDays(-grantedDaysAgo).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));

    [Theory]
    [InlineData("None", null, CreditPool.Personal)]
    [InlineData("None", CreditPool.Organization, CreditPool.Personal)]          // a stale choice of someone who left counts for nothing
    [InlineData("Administrator", CreditPool.Organization, CreditPool.Personal)]
    [InlineData("Member", null, CreditPool.Organization)]
    [InlineData("Member", CreditPool.Personal, CreditPool.Organization)]        // a member has no choice
    [InlineData("Guest", null, CreditPool.Personal)]                            // a guest keeps their own credits until they choose
    [InlineData("Guest", CreditPool.Organization, CreditPool.Organization)]
    [InlineData("Guest", CreditPool.Personal, CreditPool.Personal)]
    public void The_active_pool_follows_the_role_and_only_a_guest_chooses(string roleName, CreditPool? choice, CreditPool expected)
    {
        var role = Enum.Parse<PoolRole>(roleName);
        Assert.Equal(expected, ActivePool.For(role, choice));
        Assert.Equal(role == PoolRole.Guest, ActivePool.CanChoose(role));
    }

    [Fact]
    public void Credits_are_taken_from_the_grant_that_expires_first_then_the_oldest()
    {
        var late = Grant(100m, Today.AddDays(90));
        var soon = Grant(30m, Today.AddDays(5));
        var sameDayOlder = Grant(20m, Today.AddDays(40), grantedDaysAgo: 50);
        var sameDayNewer = Grant(20m, Today.AddDays(40), grantedDaysAgo: 2);

        var takes = DebitPlan.Plan([late, sameDayNewer, soon, sameDayOlder], 60m, null, Today)!;

        Assert.Equal([(soon.GrantId, 30m), (sameDayOlder.GrantId, 20m), (sameDayNewer.GrantId, 10m)], takes.Select(t => (t.GrantId, t.Credits)));
    }

    [Fact]
    public void An_expired_grant_pays_nothing_but_one_expiring_today_does()
    {
        var expired = Grant(500m, Today.AddDays(-1));
        var lastDay = Grant(10m, Today);

        Assert.Equal(10m, DebitPlan.PoolAvailable([expired, lastDay], Today));
        Assert.Equal([(lastDay.GrantId, 10m)], DebitPlan.Plan([expired, lastDay], 10m, null, Today)!.Select(t => (t.GrantId, t.Credits)));
        Assert.Null(DebitPlan.Plan([expired, lastDay], 10.01m, null, Today));
    }

    [Theory]
    [InlineData(50, 100, 50)]      // the allocation's remainder is smaller: it caps
    [InlineData(500, 100, 100)]    // the pool is smaller: it caps, whatever the allocation says
    [InlineData(0, 100, 0)]        // allocation used up
    [InlineData(-5, 100, 0)]       // a limit lowered below use leaves nothing, never a negative
    public void A_capped_user_can_spend_the_smaller_of_the_allocations_remainder_and_the_pool(decimal cap, decimal pool, decimal expected)
    {
        var grants = new[] { Grant(pool, Today.AddDays(30)) };

        Assert.Equal(expected, DebitPlan.Available(grants, cap, Today));
        Assert.NotNull(expected > 0 ? DebitPlan.Plan(grants, expected, cap, Today) : new List<GrantTake>());
        Assert.Null(DebitPlan.Plan(grants, expected + 0.01m, cap, Today));
    }

    [Fact]
    public void Unlimited_or_personal_use_is_bounded_by_the_pool_alone()
    {
        var grants = new[] { Grant(40m, Today.AddDays(3)), Grant(60m, Today.AddDays(300)) };

        Assert.Equal(100m, DebitPlan.Available(grants, null, Today));
        Assert.Equal(100m, DebitPlan.Plan(grants, 100m, null, Today)!.Sum(t => t.Credits));
        Assert.Null(DebitPlan.Plan(grants, 100.01m, null, Today));
        Assert.Null(DebitPlan.Plan([], 1m, null, Today));
    }

    [Theory]
    [InlineData("0", "must be more than 0")]
    [InlineData("-1", "must be more than 0")]
    [InlineData("1.005", "can have at most 2 decimals")]
    [InlineData("100000000.01", "must be at most 100,000,000")]
    public void Amounts_are_positive_with_at_most_two_decimals(string amount, string problem) =>
        Assert.Equal(problem, CreditAmount.Problem(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Allocating_again_after_an_end_starts_afresh_while_a_change_keeps_the_use()
    {
        var now = new DateTime(2026, 6, 15, 9, 0, 0, DateTimeKind.Utc);
        var allocation = CreditAllocation.Allocate(Guid.NewGuid(), "pool", "user", 100m, now);
        typeof(CreditAllocation).GetProperty(nameof(CreditAllocation.Used))!.SetValue(allocation, 30m);

        allocation.SetLimit(50m, "pool", now);
        Assert.Equal((50m, 30m, 20m), (allocation.Limit!.Value, allocation.Used, allocation.Remaining!.Value));
        Assert.Throws<InvalidOperationException>(() => allocation.SetLimit(29m, "pool", now));

        allocation.End(now);
        allocation.SetLimit(null, "pool", now.AddDays(1));
        Assert.True(allocation is { Active: true, Used: 0m, IsUnlimited: true, Remaining: null });
    }
}
