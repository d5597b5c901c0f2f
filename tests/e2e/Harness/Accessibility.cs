using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;

namespace ChaosModular.E2E.Harness;

/// <summary>
/// axe-core (Deque.AxeCore.Playwright, run inside Chromium) on every page a journey opens: each page object's
/// <c>ExpectOpenAsync</c> checks the page it just reached, and a journey checks the page it ends on. A serious or critical
/// violation fails the journey with the rule, what it means and the elements at fault. Hangfire's dashboard (a
/// third-party page for support staff) is left out.
/// <para>
/// Each page is checked once per test run in each state it is seen in (<see cref="State"/>): its route (ids in the path
/// count as one route), the kinds of message it shows (an error, a warning, a confirmation, a field marked invalid, an
/// open dialog) and whether it is at phone width. An axe run costs about a second of Chromium; checked once per route and
/// browser session, the 30 journeys ran it 154 times for 28 routes (about 40 % of their time on 2 December), mostly on
/// the same sign-in and product pages in the same state.
/// </para>
/// </summary>
public static partial class Accessibility
{
    private static readonly HashSet<string> Checked = [];

    // What of a page's state can change what axe finds: the messages it shows, invalid fields, an open dialog, phone width.
    private const string StateScript = """
        () => {
          const kinds = new Set();
          for (const e of document.querySelectorAll('.alert, [role=alert], [role=status]')) {
            if (e.offsetParent === null) continue;
            const kind = [...e.classList].find(c => c.startsWith('alert-') && c !== 'alert-dismissible');
            kinds.add((e.getAttribute('role') || 'message') + (kind ? '.' + kind : ''));
          }
          if (document.querySelector('.input-validation-error, [aria-invalid=true]')) kinds.add('invalid');
          if (document.querySelector('dialog[open], [role=dialog]:not([hidden])')) kinds.add('dialog');
          if (window.innerWidth < 576) kinds.add('phone');
          return [...kinds].sort().join(' ');
        }
        """;

    private static readonly string[] Failing = ["serious", "critical"];

    public static async Task CheckAsync(IPage page)
    {
        var route = Route(page.Url);
        if (route.StartsWith("/hangfire", StringComparison.Ordinal))
        {
            return; // Hangfire's own dashboard (support staff only): not our markup.
        }
        await page.WaitForLoadStateAsync(LoadState.Load);
        var state = $"{route} [{await page.EvaluateAsync<string>(StateScript)}]";
        lock (Checked)
        {
            if (!Checked.Add(state))
            {
                return;
            }
        }
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
