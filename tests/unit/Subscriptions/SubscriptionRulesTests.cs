using ChaosModular.Modules.Abstractions;
using ChaosModular.Subscriptions.Domain;

namespace ChaosModular.UnitTests.Subscriptions;

public sealed class SubscriptionRulesTests
{
    private static readonly DateOnly Start = new(2026, 1, 1);
    private static readonly DateOnly Renewal = new(2027, 1, 1);   // 365-day term

    [Theory]
    [InlineData("2026-01-01", "699.00")]   // the first day: a whole term
    [InlineData("2026-07-02", "350.46")]   // 183 days left: 699 x 183 / 365 = 350.4575... -> 350.46
    [InlineData("2026-12-31", "1.92")]     // one day left: 699 / 365 = 1.915 -> 1.92
    [InlineData("2027-01-01", "0.00")]     // the renewal day: nothing left, the renewal invoice charges the seat
    [InlineData("2027-02-01", "0.00")]     // late (renewal not run yet): never negative
    public void Added_seats_are_prorated_to_the_renewal_date(string today, string expected)
    {
        var price = Proration.ForAddedSeats(1, new Money(699m, "EUR"), DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), Start, Renewal);

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), price.Amount);
        Assert.Equal("EUR", price.Currency);
    }

    [Fact]
    public void Several_seats_in_a_monthly_term_round_once_on_the_total()
    {
        // 3 x 57.90 x 10 / 31 = 56.0322... -> 56.03 (rounded once, not per seat: 3 x 18.68 = 56.04)
        var price = Proration.ForAddedSeats(3, new Money(57.90m, "USD"), new DateOnly(2026, 3, 22), new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 1));

        Assert.Equal(new Money(56.03m, "USD"), price);
    }

    [Fact]
    public void Yen_proration_has_no_minor_unit()
    {
        var price = Proration.ForAddedSeats(1, new Money(10000m, "JPY"), new DateOnly(2026, 1, 2), Start, Renewal);

        Assert.Equal(9973m, price.Amount);   // 10000 x 364 / 365 = 9972.6 -> 9973
    }

    [Fact]
    public void Zero_seats_or_an_empty_term_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Proration.ForAddedSeats(0, new Money(1m, "EUR"), Start, Start, Renewal));
        Assert.Throws<ArgumentException>(() => Proration.ForAddedSeats(1, new Money(1m, "EUR"), Start, Renewal, Renewal));
    }

    [Theory]
    // Annual, renewal 2026-03-31: disable until 2026-03-01 inclusive, enable until 2026-03-30 inclusive.
    [InlineData(true, "2026-03-01", true, true)]
    [InlineData(true, "2026-03-02", false, true)]
    [InlineData(true, "2026-03-30", false, true)]
    [InlineData(true, "2026-03-31", false, false)]
    // Monthly: disable until 7 days before (2026-03-24).
    [InlineData(false, "2026-03-24", true, true)]
    [InlineData(false, "2026-03-25", false, true)]
    [InlineData(false, "2026-03-30", false, true)]
    [InlineData(false, "2026-03-31", false, false)]
    public void Auto_renewal_windows_at_each_boundary(bool annual, string today, bool canDisable, bool canEnable)
    {
        var renewal = new DateOnly(2026, 3, 31);
        var day = DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(canDisable, AutoRenewalWindow.CanDisable(day, renewal, annual));
        Assert.Equal(canEnable, AutoRenewalWindow.CanEnable(day, renewal));
    }

    [Fact]
    public void A_subscription_refuses_a_switch_outside_the_window_and_names_the_cut_off_date()
    {
        var subscription = Subscription.Start(Guid.NewGuid(), "c1", "vray-solo-annual", "vray-solo", "vray", Term.Annual, new Money(470m, "EUR"), 2, new DateOnly(2025, 3, 31));

        Assert.Equal("Auto-renewal could be disabled until 2026-03-01.", subscription.SetAutoRenew(false, new DateOnly(2026, 3, 2)));
        Assert.True(subscription.AutoRenew);
        Assert.Null(subscription.SetAutoRenew(false, new DateOnly(2026, 3, 1)));
        Assert.False(subscription.AutoRenew);
        Assert.Equal("Auto-renewal could be enabled until 2026-03-30.", subscription.SetAutoRenew(true, new DateOnly(2026, 3, 31)));
        Assert.Null(subscription.SetAutoRenew(true, new DateOnly(2026, 3, 30)));
        Assert.True(subscription.AutoRenew);
    }

    [Fact]
    public void Moving_seats_to_a_new_subscription_keeps_the_renewal_dates_and_shrinks_a_reduction_by_the_seats_moved()
    {
        var subscription = Subscription.Start(Guid.NewGuid(), "c1", "corona-solo-monthly", "corona-solo", "corona", Term.Monthly, new Money(49.90m, "EUR"), 5, new DateOnly(2026, 1, 31));
        subscription.Renew();   // 2026-02-28 -> renews 2026-03-31
        Assert.Null(subscription.ReduceSeatsAtRenewal(4));
        var version = subscription.Version;

        var moved = subscription.MoveSeatsTo(Guid.NewGuid(), 2, "corona-premium-monthly", "corona-premium", "corona", new Money(79.90m, "EUR"));

        Assert.Equal((3, (int?)2), (subscription.Seats, subscription.SeatsFromRenewal));
        Assert.NotEqual(version, subscription.Version);
        Assert.Equal((2, "corona-premium-monthly", 79.90m, "EUR", "c1"), (moved.Seats, moved.PlanCode, moved.PricePerSeat, moved.Currency, moved.CustomerId));
        Assert.Equal((subscription.ActivatedOn, subscription.PeriodStart, subscription.RenewsOn, Term.Monthly), (moved.ActivatedOn, moved.PeriodStart, moved.RenewsOn, moved.Term));
        moved.Renew();
        Assert.Equal(new DateOnly(2026, 4, 30), moved.RenewsOn);
        subscription.MoveSeatsTo(Guid.NewGuid(), 1, "corona-premium-monthly", "corona-premium", "corona", new Money(79.90m, "EUR"));
        Assert.Equal((2, (int?)1), (subscription.Seats, subscription.SeatsFromRenewal));   // still one seat fewer at the renewal
        var mostlyReduced = Subscription.Start(Guid.NewGuid(), "c1", "corona-solo-monthly", "corona-solo", "corona", Term.Monthly, new Money(49.90m, "EUR"), 5, new DateOnly(2026, 1, 31));
        Assert.Null(mostlyReduced.ReduceSeatsAtRenewal(1));
        mostlyReduced.MoveSeatsTo(Guid.NewGuid(), 3, "corona-premium-monthly", "corona-premium", "corona", new Money(79.90m, "EUR"));
        Assert.Equal((2, (int?)null), (mostlyReduced.Seats, mostlyReduced.SeatsFromRenewal));   // it cannot drop 4 of 2: the reduction lapses
        Assert.Throws<ArgumentOutOfRangeException>(() => subscription.MoveSeatsTo(Guid.NewGuid(), 2, "corona-premium-monthly", "corona-premium", "corona", new Money(79.90m, "EUR")));
        Assert.Throws<InvalidOperationException>(() => subscription.MoveSeatsTo(Guid.NewGuid(), 1, "corona-premium-monthly", "corona-premium", "corona", new Money(79.90m, "USD")));
    }

    [Fact]
    public void Seat_reductions_wait_for_the_renewal_and_added_seats_count_at_once()
    {
        var subscription = Subscription.Start(Guid.NewGuid(), "c1", "corona-solo-monthly", "corona-solo", "corona", Term.Monthly, new Money(49.90m, "EUR"), 5, new DateOnly(2026, 5, 10));

        Assert.Equal("Choose between 1 and 4 seats.", subscription.ReduceSeatsAtRenewal(5));
        Assert.Null(subscription.ReduceSeatsAtRenewal(3));
        Assert.Equal((5, (int?)3), (subscription.Seats, subscription.SeatsFromRenewal));
        subscription.AddSeats(2);
        Assert.Equal((7, (int?)5), (subscription.Seats, subscription.SeatsFromRenewal));
        Assert.Equal(new DateOnly(2026, 6, 10), subscription.RenewsOn);
    }

    [Theory]
    [InlineData("2026-01-31", "2026-02-28", "2026-03-31")]   // back to the 31st after a short month
    [InlineData("2024-02-29", "2024-03-29", "2024-04-29")]
    [InlineData("2026-11-15", "2026-12-15", "2027-01-15")]   // across the year end
    public void Monthly_renewals_follow_the_activation_day(string activated, string renewsOn, string expectedNext)
    {
        var next = Subscription.RenewalAfter(D(activated), D(renewsOn), Term.Monthly);

        Assert.Equal(D(expectedNext), next);
    }

    [Fact]
    public void Annual_renewals_keep_a_leap_day_anniversary()
    {
        Assert.Equal(D("2026-02-28"), Subscription.RenewalAfter(D("2024-02-29"), D("2025-02-28"), Term.Annual));
        Assert.Equal(D("2028-02-29"), Subscription.RenewalAfter(D("2024-02-29"), D("2027-02-28"), Term.Annual));
    }

    [Fact]
    public void A_renewal_applies_the_seat_reduction_and_starts_the_next_period_on_the_renewal_date()
    {
        var subscription = Subscription.Start(Guid.NewGuid(), "c1", "vray-solo-annual", "vray-solo", "vray", Term.Annual, new Money(470m, "EUR"), 5, D("2026-01-31"));
        Assert.Null(subscription.ReduceSeatsAtRenewal(2));

        subscription.Renew();

        Assert.Equal((D("2027-01-31"), D("2028-01-31"), 2, (int?)null), (subscription.PeriodStart, subscription.RenewsOn, subscription.Seats, subscription.SeatsFromRenewal));
    }

    [Fact]
    public void An_upgrade_pays_the_prorated_difference_for_the_seats_upgraded_and_added()
    {
        // (3 x 699 - 2 x 470) x 183 / 365 = 1157 x 183 / 365 = 580.0849... -> 580.08
        var price = Proration.ForUpgrade(2, new Money(470m, "EUR"), 3, new Money(699m, "EUR"), D("2026-07-02"), Start, Renewal);

        Assert.Equal(new Money(580.08m, "EUR"), price);
        Assert.Equal(new Money(0m, "EUR"), Proration.ForUpgrade(2, new Money(470m, "EUR"), 2, new Money(699m, "EUR"), Renewal, Start, Renewal));
        Assert.Throws<ArgumentOutOfRangeException>(() => Proration.ForUpgrade(2, new Money(470m, "EUR"), 1, new Money(699m, "EUR"), Start, Start, Renewal));
        Assert.Throws<ArgumentException>(() => Proration.ForUpgrade(2, new Money(470m, "EUR"), 2, new Money(699m, "USD"), Start, Start, Renewal));
    }

    [Theory]
    [InlineData("2026-11-16", true, null)]   // 46 days before: nothing yet
    [InlineData("2026-11-17", true, 45)]
    [InlineData("2026-12-01", true, 45)]     // 31 days: still the 45-day reminder (sent once by its key)
    [InlineData("2026-12-02", true, 30)]
    [InlineData("2026-12-27", true, 30)]
    [InlineData("2026-12-28", true, 4)]
    [InlineData("2026-12-31", true, 4)]
    [InlineData("2027-01-01", true, null)]   // the renewal day: the renewal itself, no reminder
    [InlineData("2026-12-27", false, null)]  // monthly: only 4 days before
    [InlineData("2026-12-28", false, 4)]
    public void Renewal_reminders_are_due_45_30_and_4_days_before_annual_and_4_before_monthly(string today, bool annual, int? expected)
    {
        Assert.Equal(expected, ChaosModular.Subscriptions.Features.SendRenewalReminders.ReminderDue(D(today), D("2027-01-01"), annual));
    }

    [Theory]
    // Activated 2025-03-31, renews 2026-03-31.
    [InlineData("2025-03-31", false, null)]                        // the first day
    [InlineData("2026-03-30", false, null)]                        // the last day of the period: still changeable
    [InlineData("2026-03-31", false, "BeingRenewed")]   // the renewal day: the renewal is being paid
    [InlineData("2026-04-15", false, "BeingRenewed")]   // still unpaid, waiting for Billing's retries
    [InlineData("2026-03-30", true, "Expired")]         // expired says so even before its old renewal date
    [InlineData("2026-04-15", true, "Expired")]         // and it wins over a renewal date that has passed
    public void Seats_and_plan_change_only_while_active_and_before_the_renewal_date(string today, bool expired, string? expected)
    {
        var subscription = Subscription.Start(Guid.NewGuid(), "c1", "vray-solo-annual", "vray-solo", "vray", Term.Annual, new Money(470m, "EUR"), 2, D("2025-03-31"));
        if (expired)
        {
            subscription.Expire();
        }

        Assert.Equal(expected, subscription.WhyCannotChange(D(today))?.ToString());
    }

    [Fact]
    public void Why_a_subscription_cannot_change_is_told_in_the_words_of_the_action_tried()
    {
        Assert.Equal("This subscription has expired.", CannotChange.Expired.Explain("Add seats"));
        Assert.Equal("This subscription is being renewed. Add seats once the renewal is paid.", CannotChange.BeingRenewed.Explain("Add seats"));
        Assert.Equal("This subscription is being renewed. Upgrade once the renewal is paid.", CannotChange.BeingRenewed.Explain("Upgrade"));
    }

    private static DateOnly D(string value) => DateOnly.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
}
