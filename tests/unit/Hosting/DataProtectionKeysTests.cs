using System.Net;
using ChaosModular.Accounts.Data;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace ChaosModular.UnitTests.Hosting;

/// <summary>
/// Two Web instances on one PostgreSQL database share the data-protection key ring kept in Accounts' schema: a cookie
/// from one is read by the other, a form rendered by one posts to the other, and a restarted instance keeps the session.
/// One browser is played by one cookie jar sent to whichever instance answers.
/// </summary>
public sealed class DataProtectionKeysTests
{
    [Fact]
    public async Task Instances_on_one_database_accept_each_others_cookies_and_forms_and_a_restart_keeps_the_session()
    {
        var database = TestPostgres.CreateDatabase();
        try
        {
            await SignInOnOneInstanceUseTheOtherThenRestartAsync(database);
        }
        finally
        {
            TestPostgres.DropDatabase(database);
        }
    }

    private static async Task SignInOnOneInstanceUseTheOtherThenRestartAsync(string database)
    {
        var first = new SharedPostgresPortalFactory(database) { DemoData = true };
        var browser = new CookieContainer();
        var onFirst = new PortalClient(Client(first, browser));
        Assert.Equal(HttpStatusCode.Redirect, (await onFirst.SignInAsync(first.DemoEmail, first.DemoPassword)).StatusCode);

        await using (var scope = first.Services.CreateAsyncScope())
        {
            var keys = await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().DataProtectionKeys.CountAsync();
            Assert.True(keys > 0, "No data-protection key in accounts.DataProtectionKeys.");
        }

        using (var second = new SharedPostgresPortalFactory(database) { DemoData = true })
        {
            var onSecond = new PortalClient(Client(second, browser));
            var account = await onSecond.GetAsync("/account");
            Assert.Equal(HttpStatusCode.OK, account.StatusCode);
            Assert.Contains(first.DemoEmail, await account.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // The password form as the first instance renders it, posted to the second: its antiforgery token is accepted
            // (a wrong current password is answered with the form again, not with the 400 of a token it cannot read).
            var form = PortalClient.HiddenFields(await onFirst.GetPageAsync("/account/password"))
                .DistinctBy(f => f.Key)
                .Append(KeyValuePair.Create("Form.CurrentPassword", "Not-the-password-1"))
                .Append(KeyValuePair.Create("Form.NewPassword", "Another-password-2"))
                .Append(KeyValuePair.Create("Form.ConfirmPassword", "Another-password-2"));
            var posted = await onSecond.Http.PostAsync(new Uri("/account/password", UriKind.Relative), new FormUrlEncodedContent(form));
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        await first.DisposeAsync();
        using var restarted = new SharedPostgresPortalFactory(database) { DemoData = true };
        var afterRestart = await new PortalClient(Client(restarted, browser)).GetAsync("/account");
        Assert.Equal(HttpStatusCode.OK, afterRestart.StatusCode);
    }

    private static HttpClient Client(PortalFactory factory, CookieContainer browser) =>
        new(new CookieContainerHandler(browser) { InnerHandler = factory.Server.CreateHandler() })
        {
            BaseAddress = new Uri("https://localhost"),
        };
}
