using System.Net;
using System.Text.RegularExpressions;

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

    public Task<HttpResponseMessage> SignUpAsync(string name, string email, string password, string country = "DE") =>
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
