using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace ChaosModular.UnitTests.Architecture;

/// <summary>
/// Links name pages, not paths: no .cshtml hard-codes an internal address, every <c>asp-page</c> names a page
/// the app has, and every address a Contracts route helper (<c>*Routes</c>) gives reaches an endpoint.
/// </summary>
public sealed partial class RouteTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    /// <summary>Addresses that are endpoints, not pages: Web maps them in Program.cs.</summary>
    private static readonly string[] EndpointLinks = ["/support", "/hangfire"];

    /// <summary>Modules whose pages are being moved to tag helpers on their own branches; remove each once merged.</summary>
    private static string Src => Path.Combine(RepositoryRoot.Path, "src");

    private static IEnumerable<(string File, string Text)> Views() =>
        Directory.EnumerateFiles(Src, "*.cshtml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Src, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Select(f => (f, File.ReadAllText(Path.Combine(Src, f))));

    [Fact]
    public void No_view_hard_codes_an_internal_link()
    {
        var views = Views().ToList();

        Assert.NotEmpty(views);
        Assert.Empty(views.SelectMany(v => HardCodedLinks(v.Text).Select(link => $"{v.File}: {link}")));
    }

    [Fact]
    public void Negative_control_the_link_checker_catches_hard_coded_links_and_lets_the_rest_pass()
    {
        const string view = """
            <a class="nav-link" href="/billing">Billing</a>
            <form method="post" action="/sign-out"></form>
            <button formaction="/products/expired">Go</button>
            <a href="/support" target="_blank">Support</a>
            <a asp-area="Billing" asp-page="/Index">Billing</a>
            <link rel="stylesheet" href="~/css/site.css" />
            <a href="https://docs.chaos.com">Docs</a>
            <a href="#main">Skip</a>
            """;

        Assert.Equal(["href=\"/billing\"", "action=\"/sign-out\"", "formaction=\"/products/expired\""], HardCodedLinks(view));
    }

    [Fact]
    public void Every_asp_page_names_a_page_of_the_app()
    {
        var pages = CompiledPages();
        var links = Views().SelectMany(v => PageLinks(v.File, v.Text)).ToList();

        Assert.Contains(links, l => l.Area == "Accounts");
        Assert.Contains(links, l => l.Area == "CloudCredits");
        Assert.Empty(links.Where(l => !pages.Contains((l.Area, l.Page))).Select(l => $"{l.File}: area '{l.Area}', page '{l.Page}'"));
    }

    [Fact]
    public void Negative_control_the_page_checker_catches_a_page_or_area_that_does_not_exist()
    {
        var pages = CompiledPages();
        const string view = """
            <a asp-area="Billing" asp-page="/Nowhere">Gone</a>
            <a asp-area="Nowhere" asp-page="/Index">Gone</a>
            <a asp-page="/Account/Password">Own area</a>
            <a asp-page="./Password">Relative</a>
            <form method="post" asp-area="Accounts" asp-page="/SignOut"></form>
            """;

        var links = PageLinks("Modules/Accounts/Accounts/Areas/Accounts/Pages/Account/Index.cshtml", view);

        Assert.Equal([("Billing", "/Nowhere"), ("Nowhere", "/Index")], links.Where(l => !pages.Contains((l.Area, l.Page))).Select(l => (l.Area, l.Page)));
        Assert.Contains(links, l => (l.Area, l.Page) == ("Accounts", "/Account/Password"));
    }

    [Fact]
    public void Every_route_a_contracts_route_helper_gives_reaches_an_endpoint()
    {
        var helpers = ContractsAssemblies().SelectMany(a => a.GetExportedTypes()).Where(IsRouteHelper).ToList();
        var routes = helpers.SelectMany(RoutesOf).ToList();

        Assert.Contains(helpers, t => t.Name == "BillingRoutes");
        Assert.Contains(helpers, t => t.Name == "AccountsRoutes");
        var matcher = EndpointMatcher();
        Assert.Empty(routes.Where(r => !matcher(r.Path)).Select(r => $"{r.Name} gives {r.Path}, which no endpoint serves"));
    }

    [Fact]
    public void Negative_control_a_route_helper_giving_an_address_no_endpoint_serves_is_caught()
    {
        var matcher = EndpointMatcher();
        var routes = RoutesOf(typeof(BrokenRoutes)).ToDictionary(r => r.Name, r => r.Path);

        Assert.Equal(4, routes.Count);
        Assert.False(matcher(routes["BrokenRoutes.Renamed"]));
        Assert.False(matcher(routes["BrokenRoutes.NotAGuid"]));
        Assert.True(matcher(routes["BrokenRoutes.Invoices"]));
        Assert.True(matcher(routes["BrokenRoutes.Details"]));
    }

    /// <summary>What the reflection reads: constants, static properties and methods called with sample arguments.</summary>
    public static class BrokenRoutes
    {
        public const string Invoices = "/billing?status=Unpaid";
        public const string Renamed = "/billing/invoices-old";

        public static string NotAGuid => "/products/not-a-guid/upgrade";

        public static string Details(Guid id) => $"/products/{id}#seats";
    }

    internal static IReadOnlyList<string> HardCodedLinks(string view) =>
        HardCodedLink().Matches(view)
            .Where(m => !EndpointLinks.Any(allowed => m.Groups["path"].Value == allowed || m.Groups["path"].Value.StartsWith(allowed + "/", StringComparison.Ordinal)))
            .Select(m => m.Value)
            .ToList();

    internal static IReadOnlyList<(string File, string Area, string Page)> PageLinks(string file, string view)
    {
        var own = OwnArea().Match(file) is { Success: true } m ? m.Groups["area"].Value : "";
        var folder = "/" + Path.GetDirectoryName(file.Split("/Pages/", 2)[1])!.Replace('\\', '/');
        return TagWithPage().Matches(view).Select(tag =>
            {
                var area = AspArea().Match(tag.Value) is { Success: true } a ? a.Groups["area"].Value : own;
                var page = tag.Groups["page"].Value;
                return (file, area, page.StartsWith('/') ? page : Resolve(folder, page));
            })
            // A page named at run time ("@Model.Next") cannot be checked here; none is on the list today.
            .Where(l => !l.Item3.Contains('@', StringComparison.Ordinal))
            .ToList();
    }

    private static string Resolve(string folder, string relative)
    {
        var parts = new List<string>(folder.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var part in relative.Split('/'))
        {
            if (part == "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }
        return "/" + string.Join('/', parts);
    }

    private HashSet<(string Area, string Page)> CompiledPages() =>
        factory.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items
            .OfType<PageActionDescriptor>()
            .Select(p => (p.AreaName ?? "", p.ViewEnginePath))
            .ToHashSet();

    /// <summary>Whether any endpoint's route pattern, constraints included, matches the address's path.</summary>
    private Func<string, bool> EndpointMatcher()
    {
        var constraints = factory.Services.GetRequiredService<IInlineConstraintResolver>();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.Contains(endpoints, e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null);
        return address =>
        {
            var path = new PathString(address.Split('?', '#')[0]);
            return endpoints.Any(e =>
            {
                var pattern = e.RoutePattern;
                var values = new RouteValueDictionary();
                return new TemplateMatcher(new RouteTemplate(pattern), new RouteValueDictionary(pattern.Defaults)).TryMatch(path, values)
                    && pattern.ParameterPolicies.All(p => p.Value.All(policy =>
                        policy.Content is not { } inline
                        || constraints.ResolveConstraint(inline) is not { } constraint
                        || constraint.Match(null, null, p.Key, values, RouteDirection.IncomingRequest)));
            });
        };
    }

    private static IEnumerable<Assembly> ContractsAssemblies() =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, "ChaosModular.*.Contracts.dll")
            .Select(f => Assembly.Load(AssemblyName.GetAssemblyName(f)));

    private static bool IsRouteHelper(Type type) => type is { IsAbstract: true, IsSealed: true } && type.Name.EndsWith("Routes", StringComparison.Ordinal);

    private static IEnumerable<(string Name, string Path)> RoutesOf(Type helper)
    {
        foreach (var field in helper.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(string)))
        {
            yield return ($"{helper.Name}.{field.Name}", (string)field.GetValue(null)!);
        }
        foreach (var property in helper.GetProperties(BindingFlags.Public | BindingFlags.Static).Where(p => p.PropertyType == typeof(string)))
        {
            yield return ($"{helper.Name}.{property.Name}", (string)property.GetValue(null)!);
        }
        foreach (var method in helper.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).Where(m => m.ReturnType == typeof(string) && !m.IsSpecialName))
        {
            var arguments = method.GetParameters().Select(p => Sample(p.ParameterType, helper, method)).ToArray();
            yield return ($"{helper.Name}.{method.Name}", (string)method.Invoke(null, arguments)!);
        }
    }

    /// <summary>An argument of each type a route helper takes; a string parameter is a local return address.</summary>
    private static object Sample(Type type, Type helper, MethodInfo method) =>
        Nullable.GetUnderlyingType(type) is { } underlying ? Sample(underlying, helper, method)
        : type == typeof(Guid) ? Guid.NewGuid()
        : type == typeof(string) ? "/products?page=2"
        : type == typeof(int) ? 2
        : type == typeof(long) ? 2L
        : type == typeof(bool) ? true
        : type == typeof(DateOnly) ? new DateOnly(2026, 3, 1)
        : type.IsEnum ? Enum.GetValues(type).GetValue(0)!
        : throw new InvalidOperationException($"{helper.Name}.{method.Name} takes a {type.Name}; add a sample of it here.");

    [GeneratedRegex("""\b(?:href|action|formaction)\s*=\s*"(?<path>/(?!/)[^"]*)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex HardCodedLink();

    [GeneratedRegex("""<[a-zA-Z]+\b[^>]*?\basp-page\s*=\s*"(?<page>[^"]*)"[^>]*>""", RegexOptions.Singleline)]
    private static partial Regex TagWithPage();

    [GeneratedRegex("""\basp-area\s*=\s*"(?<area>[^"]*)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex AspArea();

    [GeneratedRegex("/Areas/(?<area>[^/]+)/Pages/")]
    private static partial Regex OwnArea();
}
