using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosModular.UnitTests.Infrastructure;

/// <summary>Drives the portal's forms the way a browser does: GET the page, post back with its antiforgery token.</summary>
public sealed partial class PortalClient(HttpClient http)
{
    public HttpClient Http => http;

    public Task<HttpResponseMessage> GetAsync(string path) => http.GetAsync(new Uri(path, UriKind.Relative));

    public async Task<string> GetPageAsync(string path)
    {
        var response = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>
    /// Posts back to <paramref name="path"/> as its form would: the page's hidden fields (antiforgery
    /// token, idempotency key, ids) plus <paramref name="fields"/>, which replace hidden fields of the same name.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitAsync(string path, IDictionary<string, string> fields)
    {
        var html = await GetPageAsync(path);
        Assert.True(AntiforgeryToken().IsMatch(html), $"No antiforgery token on {path}");
        var form = HiddenFields(html)
            .Where(f => !fields.ContainsKey(f.Key))
            .DistinctBy(f => f.Key == "__RequestVerificationToken" ? f.Key : f.Key + "\n" + f.Value)
            .Concat(fields)
            .ToList();
        return await http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(form));
    }

    public static IEnumerable<KeyValuePair<string, string>> HiddenFields(string html) =>
        HiddenInput().Matches(html).Select(m => m.Value).Select(tag => (Name: Attribute(tag, "name"), Value: Attribute(tag, "value")))
            .Where(f => f.Name is not null)
            .Select(f => new KeyValuePair<string, string>(f.Name!, WebUtility.HtmlDecode(f.Value ?? "")));

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : null;
    }

    private static readonly ConditionalWeakTable<HttpClient, IServiceProvider> Portals = new();

    /// <summary>The app behind a client made by <see cref="PortalFactory.CreatePortalClient"/>: where its emailed links come from.</summary>
    public static void Remember(HttpClient client, IServiceProvider services) => Portals.AddOrUpdate(client, services);

    /// <summary>
    /// A new customer as the tests need one: Create account, then the emailed confirmation link opened, then Sign in (sign-up
    /// itself signs no one in). Returns Create account's answer (a redirect to "check your inbox").
    /// </summary>
    public async Task<HttpResponseMessage> SignUpAsync(string name, string email, string password, string country = "DE")
    {
        var response = await SubmitSignUpAsync(name, email, password, country);
        if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString == "/sign-up/check-email")
        {
            await OpenConfirmationLinkAsync(email);
            var signIn = await SignInAsync(email, password);
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }
        return response;
    }

    /// <summary>Opens the link the confirmation email carries (made as Accounts makes it) for the account with this email.</summary>
    public async Task OpenConfirmationLinkAsync(string email)
    {
        Assert.True(Portals.TryGetValue(http, out var services), "Make the client with PortalFactory.CreatePortalClient to confirm emails.");
        string link;
        using (var scope = services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ChaosModular.Accounts.Domain.PortalUser>>();
            var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No account {email}.");
            var token = await users.GenerateEmailConfirmationTokenAsync(user);
            link = $"/confirm-email?user={Uri.EscapeDataString(user.Id)}&token={Uri.EscapeDataString(token)}";
        }
        var page = await GetPageAsync(link);
        Assert.Contains("data-testid=\"email-confirmed\"", page, StringComparison.Ordinal);
    }

    /// <summary>Create account only: no confirmation, no sign-in.</summary>
    public Task<HttpResponseMessage> SubmitSignUpAsync(string name, string email, string password, string country = "DE") =>
        SubmitAsync("/sign-up", new Dictionary<string, string>
        {
            ["Form.Name"] = name,
            ["Form.Email"] = email,
            ["Form.Password"] = password,
            ["Form.ConfirmPassword"] = password,
            ["Form.Country"] = country,
        });

    public Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        SubmitAsync("/sign-in", new Dictionary<string, string>
        {
            ["Form.Email"] = email,
            ["Form.Password"] = password,
        });

    public Task<HttpResponseMessage> SignOutAsync() => SubmitAsync("/sign-out", new Dictionary<string, string>());

    public static string Decode(string html) => WebUtility.HtmlDecode(html);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>")]
    private static partial Regex HiddenInput();
}
