using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;

namespace ChaosModular.E2E.Harness;

/// <summary>
/// axe-core (Deque.AxeCore.Playwright, run inside Chromium) on every page a journey opens: each page object's
/// <c>ExpectOpenAsync</c> checks the page it just reached, and a journey checks the page it ends on. A serious or critical
/// violation fails the journey with the rule, what it means and the elements at fault. Hangfire's dashboard (a
/// third-party page for support staff) is left out. Each route is checked once per
/// browser session (ids in the path count as one route), so a journey that comes back to a page pays for it once.
/// </summary>
public static partial class Accessibility
{
    private static readonly ConditionalWeakTable<IPage, HashSet<string>> Checked = new();

    private static readonly string[] Failing = ["serious", "critical"];

    public static async Task CheckAsync(IPage page)
    {
        var route = Route(page.Url);
        if (route.StartsWith("/hangfire", StringComparison.Ordinal))
        {
            return; // Hangfire's own dashboard (support staff only): not our markup.
        }
        var seen = Checked.GetOrCreateValue(page);
        lock (seen)
        {
            if (!seen.Add(route))
            {
                return;
            }
        }
        await page.WaitForLoadStateAsync(LoadState.Load);
        var result = await page.RunAxe();
        var violations = result.Violations.Where(v => Failing.Contains(v.Impact, StringComparer.OrdinalIgnoreCase)).ToList();
        if (violations.Count > 0)
        {
            var lines = violations.Select(v =>
                $"- {v.Impact} {v.Id}: {v.Help} ({v.HelpUrl})\n" + string.Join("\n", v.Nodes.Take(5).Select(n => $"    {n.Target}: {n.Html}")));
            throw new Xunit.Sdk.XunitException($"Accessibility (axe-core) on {page.Url}:\n{string.Join("\n", lines)}");
        }
    }

    /// <summary>The page's path with ids (GUIDs, numbers, tokens) folded, so /products/{id} is one route.</summary>
    internal static string Route(string url)
    {
        var path = new Uri(url).AbsolutePath;
        return Ids().Replace(path, "/{id}");
    }

    [GeneratedRegex(@"/([0-9a-fA-F]{8}-[0-9a-fA-F-]{27}|\d+|[A-Za-z0-9_-]{24,})(?=/|$)")]
    private static partial Regex Ids();
}
