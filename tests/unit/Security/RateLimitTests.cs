using System.Net;
using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Accounts.Data;
using ChaosModular.Billing.Data;
using ChaosModular.Modules.Infrastructure.RateLimiting;
using ChaosModular.UnitTests.Billing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace ChaosModular.UnitTests.Security;

/// <summary>
/// A portal with low form limits, whose requests come from the address a test names (<c>X-Test-Client</c>, read by a
/// test-only first middleware standing in for the network).
/// </summary>
public sealed class RateLimitPortalFactory : SqlitePortalFactory
{
    public const string ClientHeader = "X-Test-Client";

    public RateLimitPortalFactory()
    {
        Limit(FormRateLimits.SignIn, perAddress: 4, perAccount: 2);
        Limit(FormRateLimits.ForgotPassword, perAddress: 3, perAccount: 2);
        Limit(FormRateLimits.SignUp, perAddress: 2, perAccount: 1);
        Limit(FormRateLimits.CardSaving, perAddress: 100, perAccount: 2);
        Limit(FormRateLimits.ConfirmationEmail, perAddress: 100, perAccount: 1);
        TestServices = services => services.AddSingleton<IStartupFilter, ClientAddressFilter>();
    }

    private void Limit(string rule, int perAddress, int perAccount)
    {
        With($"{FormRateLimitOptions.Section}:{rule}:PerAddress", perAddress.ToString(System.Globalization.CultureInfo.InvariantCulture));
        With($"{FormRateLimitOptions.Section}:{rule}:PerAccount", perAccount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        With($"{FormRateLimitOptions.Section}:{rule}:Window", "00:10:00");
    }

    private sealed class ClientAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(ClientHeader, out var address))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>Abuse limits on sign-in, Forgot password, Create account, the confirmation link and card saving: per address and per account.</summary>
public sealed class RateLimitTests(RateLimitPortalFactory factory) : IClassFixture<RateLimitPortalFactory>
{
    private const string Password = "Limited2026xx";

    private PortalClient From(string address)
    {
        var http = factory.CreatePortalClient();
        http.DefaultRequestHeaders.Add(RateLimitPortalFactory.ClientHeader, address);
        return new PortalClient(http);
    }

    private static string UniqueEmail() => $"limit-{Guid.NewGuid():N}@example.test";

    private static async Task AssertTooManyAsync(HttpResponseMessage response, string wait = "10 minutes")
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        var page = PortalClient.Decode(await response.Content.ReadAsStringAsync());
        Assert.Contains("<h1 class=\"h3\">Too many attempts</h1>", page, StringComparison.Ordinal);
        Assert.Contains($"Please try again in {wait}.", page, StringComparison.Ordinal);
    }

    private async Task<int> OutboxCountAsync<TEvent>(Func<TEvent, string> email, string address)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        return (await PublishedEvents.OfAsync<TEvent>(db, e => email(e) == address)).Count;
    }

    [Fact]
    public async Task Sign_in_attempts_on_one_account_stop_at_its_limit_from_any_address_while_other_accounts_go_on()
    {
        var target = UniqueEmail();
        await From("10.0.0.1").SignUpAsync("Target Person", target, Password);
        var other = UniqueEmail();
        await From("10.0.0.1").SignUpAsync("Other Person", other, Password);

        // The sign-ups above signed in once each. One more try at the target reaches its limit of two...
        Assert.Equal(HttpStatusCode.OK, (await From("10.0.1.1").SignInAsync(target, "Wrong2026guess")).StatusCode);
        // ...so the next is refused, from another address too, even with the right password.
        await AssertTooManyAsync(await From("10.0.1.2").SignInAsync(target, Password));

        // The other account is not held back, and the page itself still opens.
        Assert.Equal(HttpStatusCode.Redirect, (await From("10.0.1.1").SignInAsync(other, Password)).StatusCode);
        var visitor = From("10.0.1.2");
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/sign-in")).StatusCode);
        }
    }

    [Fact]
    public async Task One_address_trying_many_accounts_stops_at_the_address_limit()
    {
        var client = From("10.0.2.1");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SignInAsync(UniqueEmail(), Password)).StatusCode);
        }

        await AssertTooManyAsync(await client.SignInAsync(UniqueEmail(), Password));
        Assert.Equal(HttpStatusCode.OK, (await From("10.0.2.2").SignInAsync(UniqueEmail(), Password)).StatusCode);
    }

    [Fact]
    public async Task Create_account_stops_at_the_address_limit_and_the_refused_one_makes_nothing()
    {
        var client = From("10.0.3.1");
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitSignUpAsync("One", UniqueEmail(), Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitSignUpAsync("Two", UniqueEmail(), Password)).StatusCode);
        var third = UniqueEmail();

        await AssertTooManyAsync(await client.SubmitSignUpAsync("Three", third, Password));

        await using var scope = factory.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Users.AnyAsync(u => u.Email == third));
    }

    [Fact]
    public async Task Forgot_password_sends_at_most_the_account_limit_of_links_whatever_the_address()
    {
        var email = UniqueEmail();
        await From("10.0.4.1").SignUpAsync("Forgetful", email, Password);
        Task<HttpResponseMessage> Ask(string address) =>
            From(address).SubmitAsync("/forgot-password", new Dictionary<string, string> { ["Form.Email"] = email });

        Assert.Equal(HttpStatusCode.OK, (await Ask("10.0.4.2")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Ask("10.0.4.3")).StatusCode);
        await AssertTooManyAsync(await Ask("10.0.4.4"));

        Assert.Equal(2, await OutboxCountAsync<PasswordResetRequested>(e => e.Email, email));
    }

    [Fact]
    public async Task Saving_cards_stops_at_the_account_limit_while_choosing_the_default_card_does_not()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);
        Assert.Equal(HttpStatusCode.Redirect, (await customer.AddCardAsync("4242424242424242")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await customer.AddCardAsync("5555555555554444")).StatusCode);

        await AssertTooManyAsync(await customer.AddCardAsync("4000056655665556"));

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var cards = await db.PaymentMethods.Where(m => m.CustomerId == customer.UserId).Select(m => m.Id).ToListAsync();
        Assert.Equal(2, cards.Count);
        var page = await customer.Client.GetPageAsync("/billing/payment-methods");
        Assert.Equal(HttpStatusCode.Redirect, (await customer.Client.Http.PostAsync(new Uri($"/billing/payment-methods?handler=Default&id={cards[0]}", UriKind.Relative),
            new FormUrlEncodedContent(PortalClient.HiddenFields(page).DistinctBy(f => f.Key)))).StatusCode);
    }

    [Fact]
    public async Task Sending_the_confirmation_link_again_stops_at_the_account_limit()
    {
        var email = UniqueEmail();
        var client = From("10.0.5.1");
        await client.SubmitSignUpAsync("Slow Reader", email, Password);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, Password)).StatusCode);
        async Task<HttpResponseMessage> Resend() => await client.Http.PostAsync(new Uri("/account/confirm-email?handler=Resend", UriKind.Relative),
            new FormUrlEncodedContent(PortalClient.HiddenFields(await client.GetPageAsync("/account/confirm-email")).DistinctBy(f => f.Key)));

        Assert.Equal(HttpStatusCode.Redirect, (await Resend()).StatusCode);
        await AssertTooManyAsync(await Resend());

        // The sign-up's link and one resent: the refused request sent nothing.
        Assert.Equal(2, await OutboxCountAsync<EmailConfirmationRequested>(e => e.Email, email));
    }
}
