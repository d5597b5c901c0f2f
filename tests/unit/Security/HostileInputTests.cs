using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Xunit.Abstractions;

namespace ChaosModular.UnitTests.Security;

/// <summary>
/// Hostile input never answers 500: every form a customer (the demo owner, who also administers Demo Studio), a
/// guest, a member, the support desk and a signed-out visitor can reach, found by following the pages' links and reading their forms, gets
/// each field in turn replaced by hostile values, the rest as rendered (antiforgery token included). Every answer
/// is below 500 and never echoes markup unencoded.
/// </summary>
public sealed partial class HostileInputTests(DemoSqlitePortalFactory factory, ITestOutputHelper output) : IClassFixture<DemoSqlitePortalFactory>
{
    private const string Markup = "<script>alert(1)</script>";

    private static readonly string[] HostileValues =
    [
        "", "-1", "99999999999999999999", "abc", Markup, "' OR 1=1 --", "../../etc/passwd", new string('x', 5000), "2026-02-30", "\0",
    ];

    /// <summary>Forms left out of the walk, and why: each would end the session or the data the rest of the walk needs.</summary>
    private static readonly Dictionary<string, string> Skipped = new(StringComparer.Ordinal)
    {
        ["POST /sign-out"] = "signs the walker out; every later form would be asked as a stranger",
    };

    /// <summary>Addresses not followed: downloads and other non-pages, and the outside help center.</summary>
    private static bool NotAPage(string path) =>
        path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/hangfire", StringComparison.Ordinal)
        || path.StartsWith("/health", StringComparison.Ordinal) || path.StartsWith("/openapi", StringComparison.Ordinal)
        || path.StartsWith("/.well-known", StringComparison.Ordinal) || path.StartsWith("/bench", StringComparison.Ordinal)
        || path is "/support" or "/sign-out"
        || path.EndsWith("/pdf", StringComparison.Ordinal) || path.EndsWith(".csv", StringComparison.Ordinal) || path.EndsWith("/file", StringComparison.Ordinal)
        || path.EndsWith("/response", StringComparison.Ordinal);

    private sealed record Field(string Name, string Value, bool IsFile);

    private sealed record Form(string Page, string Method, string Action, bool Multipart, List<Field> Fields)
    {
        public string Key => $"{Method} {Normalize(Action)} [{string.Join(",", Fields.Select(f => f.Name).Distinct().Order(StringComparer.Ordinal))}]";
    }

    [Fact]
    public async Task Every_reachable_form_answers_hostile_values_without_a_500_or_unencoded_markup()
    {
        factory.CreatePortalClient().Dispose();
        var world = await SecurityWorld.CreateAsync(factory);
        var endpoints = await SecurityWorld.EnumerateEndpointsAsync(factory);
        var starts = endpoints.Where(k => k.Method == "GET" && k.Handler is null).Select(k => world.PathOf(k.Pattern)).Where(p => !NotAPage(p)).Distinct().ToList();
        // Forms no link leads to: support's set-up form shows for an account found, the reset form for a real link.
        starts.Add("/support/organizations?Find=" + Uri.EscapeDataString(world.OtherCustomerEmail));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ChaosModular.Accounts.Domain.PortalUser>>();
            var token = await users.GeneratePasswordResetTokenAsync((await users.FindByIdAsync(world.OtherCustomerId))!);
            starts.Add($"/reset-password?user={Uri.EscapeDataString(world.OtherCustomerId)}&token={Uri.EscapeDataString(token)}");
        }

        var failures = new List<string>();
        var submissions = 0;
        var walked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in new[] { Role.Anonymous, Role.Guest, Role.Member, Role.Support, Role.Owner })
        {
            var client = world.Clients[role];
            foreach (var form in await FormsAsync(client, starts, (_, _) => { }))
            {
                var key = form.Key;
                if (Skipped.Keys.Any(s => key.StartsWith(s + " ", StringComparison.Ordinal)) || !walked.Add(key))
                {
                    continue;
                }
                foreach (var name in form.Fields.Select(f => f.Name).Where(n => n != "__RequestVerificationToken").Distinct())
                {
                    foreach (var value in HostileValues)
                    {
                        submissions++;
                        using var response = await SubmitAsync(client, form, name, value);
                        var body = await response.Content.ReadAsStringAsync();
                        var shown = Printable(value);
                        if ((int)response.StatusCode >= 500)
                        {
                            failures.Add($"{role} {key} on {form.Page}: {name}={shown} answered {(int)response.StatusCode}");
                        }
                        if (body.Contains(Markup, StringComparison.Ordinal))
                        {
                            failures.Add($"{role} {key} on {form.Page}: {name}={shown} echoed the markup unencoded");
                        }
                    }
                }
            }
        }
        // What the walk stored (names, notes, search terms) is shown on the pages afterwards: still encoded there.
        foreach (var role in new[] { Role.Guest, Role.Member, Role.Support, Role.Owner })
        {
            await FormsAsync(world.Clients[role], starts, (address, html) =>
            {
                if (html.Contains(Markup, StringComparison.Ordinal))
                {
                    failures.Add($"{role} {address} shows stored markup unencoded after the walk");
                }
            });
        }
        output.WriteLine($"{walked.Count} forms, {submissions} submissions, {failures.Count} failures");
        foreach (var form in walked.Order(StringComparer.Ordinal))
        {
            output.WriteLine(form);
        }
        Assert.True(walked.Count >= 30, $"Only {walked.Count} forms were found: the walk no longer reaches the pages.");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Distinct()));
    }

    [Theory]
    [InlineData("/sign-in", "Form.RememberMe", "Keep me signed in", false)]
    [InlineData("/billing/payment-methods?handler=Add", "Card.MakeDefault", "Use this card for payments and renewals", true)]
    public async Task A_tampered_checkbox_shows_the_form_again_with_a_message(string path, string field, string label, bool signedIn)
    {
        var client = new PortalClient(factory.CreatePortalClient());
        if (signedIn)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync("Box Ticker", $"box-{System.Guid.NewGuid():N}@example.test", "BoxTicker2026xx")).StatusCode);
        }

        using var response = await client.SubmitAsync(path, new Dictionary<string, string> { [field] = "abc" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"Tick or untick \u201c{label}\u201d.", PortalClient.Decode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    private static string Printable(string value) => value.Length > 40 ? $"({value.Length} chars)" : value.Replace("\0", "\\0", StringComparison.Ordinal);

    /// <summary>Follows the local links from <paramref name="starts"/> (each path and query shape once) and reads every form on the pages.</summary>
    private static async Task<List<Form>> FormsAsync(PortalClient client, IEnumerable<string> starts, Action<string, string> page)
    {
        var parser = new HtmlParser();
        var queue = new Queue<string>(starts);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var forms = new Dictionary<string, Form>(StringComparer.Ordinal);
        while (queue.Count > 0)
        {
            var address = queue.Dequeue();
            if (!seen.Add(Normalize(address)) || seen.Count > 400)
            {
                continue;
            }
            using var response = await client.GetAsync(address);
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html")
            {
                continue;
            }
            var html = await response.Content.ReadAsStringAsync();
            page(address, html);
            var document = parser.ParseDocument(html);
            foreach (var link in document.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!))
            {
                if (link.StartsWith('/') && !link.StartsWith("//", StringComparison.Ordinal) && !NotAPage(link.Split('?', '#')[0]) && !link.Contains("handler=", StringComparison.Ordinal))
                {
                    queue.Enqueue(WebUtility.HtmlDecode(link.Split('#')[0]));
                }
            }
            foreach (var element in document.Forms)
            {
                var form = Read(address, element);
                forms.TryAdd(form.Key, form);
            }
        }
        return [.. forms.Values];
    }

    private static Form Read(string page, IHtmlFormElement form)
    {
        var action = form.GetAttribute("action") is { Length: > 0 } a ? WebUtility.HtmlDecode(a) : page;
        var method = string.Equals(form.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase) ? "POST" : "GET";
        var multipart = string.Equals(form.GetAttribute("enctype"), "multipart/form-data", StringComparison.OrdinalIgnoreCase);
        var fields = new List<Field>();
        var buttonTaken = false;
        foreach (var element in form.Elements)
        {
            var name = element.GetAttribute("name");
            if (string.IsNullOrEmpty(name) || element.HasAttribute("disabled"))
            {
                continue;
            }
            switch (element)
            {
                case IHtmlInputElement input:
                    var type = (input.GetAttribute("type") ?? "text").ToLowerInvariant();
                    if (type is "submit" or "image")
                    {
                        if (!buttonTaken)
                        {
                            fields.Add(new Field(name, input.GetAttribute("value") ?? "", false));
                            buttonTaken = true;
                        }
                    }
                    else if (type is "checkbox" or "radio")
                    {
                        // Unchecked, it is still a field a tamperer can send: listed with no value, left out when posting as rendered.
                        fields.Add(new Field(name, input.HasAttribute("checked") ? input.GetAttribute("value") ?? "on" : "\u0001unchecked", false));
                    }
                    else if (type is not ("button" or "reset"))
                    {
                        fields.Add(new Field(name, input.GetAttribute("value") ?? "", type == "file"));
                    }
                    break;
                case IHtmlSelectElement select:
                    var option = select.Options.FirstOrDefault(o => o.HasAttribute("selected")) ?? (select.Options.Length > 0 ? select.Options[0] : null);
                    fields.Add(new Field(name, option?.GetAttribute("value") ?? option?.TextContent ?? "", false));
                    break;
                case IHtmlTextAreaElement textArea:
                    fields.Add(new Field(name, textArea.TextContent, false));
                    break;
                case IHtmlButtonElement button when (button.GetAttribute("type") ?? "submit").Equals("submit", StringComparison.OrdinalIgnoreCase):
                    if (!buttonTaken)
                    {
                        fields.Add(new Field(name, button.GetAttribute("value") ?? "", false));
                        buttonTaken = true;
                    }
                    break;
            }
        }
        return new Form(page, method, action, multipart, fields);
    }

    /// <summary>The form as rendered, with every value of <paramref name="tampered"/> replaced by <paramref name="value"/>.</summary>
    private static Task<HttpResponseMessage> SubmitAsync(PortalClient client, Form form, string tampered, string value)
    {
        var fields = form.Fields
            .Where(f => f.Name != tampered && f.Value != "\u0001unchecked" && !f.IsFile)
            .Select(f => new KeyValuePair<string, string>(f.Name, f.Value))
            .ToList();
        var tamperedIsFile = form.Fields.Any(f => f.Name == tampered && f.IsFile);
        if (!tamperedIsFile)
        {
            fields.Add(new(tampered, value));
        }
        if (form.Method == "GET")
        {
            var path = form.Action.Split('?')[0];
            return client.Http.GetAsync(new Uri(path + "?" + string.Join("&", fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}")), UriKind.Relative));
        }
        HttpContent content;
        if (form.Multipart)
        {
            var multipart = new MultipartFormDataContent();
            foreach (var (name, fieldValue) in fields)
            {
                multipart.Add(new StringContent(fieldValue), name);
            }
            // A file field gets the hostile value as its content; the others an empty file, as a browser sends when none is chosen.
            foreach (var file in form.Fields.Where(f => f.IsFile))
            {
                multipart.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(file.Name == tampered ? value : "")), file.Name, file.Name == tampered ? "hostile.csv" : "");
            }
            content = multipart;
        }
        else
        {
            content = new FormUrlEncodedContent(fields);
        }
        return client.Http.PostAsync(new Uri(form.Action, UriKind.Relative), content);
    }

    /// <summary>A path with its ids made generic and its query reduced to the parameter names: one shape per page or form.</summary>
    private static string Normalize(string address)
    {
        var parts = address.Split('?', 2);
        var path = GuidPattern().Replace(parts[0], "{id}");
        if (parts.Length == 1)
        {
            return path;
        }
        var names = parts[1].Split('&').Select(p => p.Split('=')[0]).Where(n => n.Length > 0).Distinct().Order(StringComparer.Ordinal);
        // The handler names a different form or page; other parameters only fill one.
        var handler = Regex.Match(parts[1], "(?:^|&)handler=([^&]*)");
        return path + "?" + string.Join("&", names) + (handler.Success ? "#" + handler.Groups[1].Value : "");
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidPattern();
}
