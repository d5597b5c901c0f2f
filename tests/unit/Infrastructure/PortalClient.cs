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

    /// <summary>Posts the form found on <paramref name="path"/> with its antiforgery token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string path, IDictionary<string, string> fields)
    {
        var html = await GetPageAsync(path);
        var token = AntiforgeryToken().Match(html);
        Assert.True(token.Success, $"No antiforgery token on {path}");
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token.Groups[1].Value };
        return await http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(form));
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
}
