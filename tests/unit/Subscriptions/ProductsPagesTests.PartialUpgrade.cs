using System.Net;
using ChaosModular.Billing.Domain;
using ChaosModular.Subscriptions.Contracts.Events;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.UnitTests.Billing;

namespace ChaosModular.UnitTests.Subscriptions;

/// <summary>The guide's "quantity of the product you would like to be upgraded": N of M seats move to a new subscription.</summary>
public partial class ProductsPagesTests
{
    [Fact]
    public async Task A_partial_upgrade_moves_the_chosen_seats_to_a_new_subscription_renewing_on_the_same_day_and_leaves_the_rest()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 5, March1);

        var review = await Page(customer.Client, $"/products/{id}/upgrade?to=vray-premium-annual&seats=2");
        Assert.Contains("303.66 EUR", review, StringComparison.Ordinal);   // (2 x 699 - 2 x 470) x 242 / 365 = 303.6602...; all 5 would be 759.15
        Assert.Matches("data-testid=\"seats-staying\">3 ", review);

        var response = await customer.Client.SubmitAsync($"/products/{id}/upgrade?to=vray-premium-annual&seats=2", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var order = await factory.InSubscriptions(db => db.Orders.AsNoTracking().SingleAsync(o => o.SubscriptionId == id));
        Assert.Equal($"/products/{order.Id}", response.Headers.Location?.OriginalString);
        var old = await factory.SubscriptionAsync(id);
        var moved = await factory.SubscriptionAsync(order.Id);
        Assert.Equal(("vray-solo-annual", 3, 3, 470m), (old.PlanCode, old.Seats, old.SeatsAtRenewal, old.PricePerSeat));
        Assert.Equal((customer.UserId, "vray-premium-annual", "vray-premium", 2, 699m, "EUR"),
            (moved.CustomerId, moved.PlanCode, moved.ProductCode, moved.Seats, moved.PricePerSeat, moved.Currency));
        Assert.Equal((old.RenewsOn, old.PeriodStart, old.AutoRenew, SubscriptionStatus.Active), (moved.RenewsOn, moved.PeriodStart, moved.AutoRenew, moved.Status));
        Assert.Equal(new DateOnly(2027, 3, 1), moved.RenewsOn);
        var invoice = await InvoiceFor(order.Id);
        Assert.Equal((InvoiceStatus.Paid, 303.66m, "EUR"), (invoice.Status, invoice.Subtotal, invoice.Currency));
        // The moved seats are a new subscription; the old one shrinks and is not upgraded.
        var created = Assert.Single(await factory.InSubscriptions(db => PublishedEvents.OfAsync<SubscriptionCreated>(db, e => e.SubscriptionId == moved.Id)));
        Assert.Equal(moved.Seats, created.Seats);
        var shrunk = Assert.Single(await factory.InSubscriptions(db => PublishedEvents.OfAsync<SubscriptionSeatsChanged>(db, e => e.SubscriptionId == id)));
        Assert.Equal(3, shrunk.Seats);
        Assert.Empty(await factory.InSubscriptions(db => PublishedEvents.OfAsync<SubscriptionUpgraded>(db, e => e.SubscriptionId == id || e.SubscriptionId == moved.Id)));

        var list = await Page(customer.Client, "/products");
        Assert.Equal(2, Rows(list));
        Assert.Contains($"data-subscription=\"{id}\"", list, StringComparison.Ordinal);
        Assert.Contains($"data-subscription=\"{order.Id}\"", list, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("506")]
    public async Task A_partial_upgrade_outside_one_to_the_seats_plus_the_order_limit_is_refused_with_the_range_and_changes_nothing(string seats)
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 5, March1);
        var form = PortalClient.HiddenFields(await customer.Client.GetPageAsync($"/products/{id}/upgrade?to=vray-premium-annual&seats=2"))
            .DistinctBy(f => f.Key).Where(f => f.Key != "seats").Append(new("seats", seats)).ToList();

        var response = await customer.Client.Http.PostAsync(new Uri($"/products/{id}/upgrade", UriKind.Relative), new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Choose between 1 and 505 seats: fewer than your 5 move to a new subscription, the rest stay.",
            PortalClient.Decode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(("vray-solo-annual", 5), ((await factory.SubscriptionAsync(id)).PlanCode, (await factory.SubscriptionAsync(id)).Seats));
        Assert.False(await factory.InSubscriptions(db => db.Orders.AnyAsync(o => o.SubscriptionId == id)));
        Assert.Equal(1, await factory.InSubscriptions(db => db.Subscriptions.CountAsync(s => s.CustomerId == customer.UserId)));
    }

    [Fact]
    public async Task Another_customer_cannot_see_or_place_a_partial_upgrade_of_a_subscription()
    {
        var owner = await BillingCustomer.SignUpAsync(factory);
        var intruder = await BillingCustomer.SignUpAsync(factory);
        var id = await owner.GiveSubscriptionAsync("vray-solo-annual", "EUR", 5, March1);
        var path = $"/products/{id}/upgrade?to=vray-premium-annual&seats=2";

        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Client.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostWithTokenFrom(intruder.Client, "/billing/information", path, [])).StatusCode);
        Assert.Equal(5, (await factory.SubscriptionAsync(id)).Seats);
        Assert.False(await factory.InSubscriptions(db => db.Orders.AnyAsync(o => o.SubscriptionId == id)));
    }
}
