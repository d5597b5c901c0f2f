using System.Text.RegularExpressions;

namespace ChaosModular.E2E.Harness;

/// <summary>
/// axe-core (the copy bundled with Deque.AxeCore.Commons, run inside Chromium) on every page a journey opens: each page object's
/// <c>ExpectOpenAsync</c> checks the page it just reached, and a journey checks the page it ends on. A serious or critical
/// violation fails the journey with the rule, what it means and the elements at fault. Hangfire's dashboard (a
/// third-party page for support staff) is left out.
/// <para>
/// Each page is checked once per test run in each state it is seen in (<see cref="State"/>): its route (ids in the path
/// count as one route), the kinds of message it shows (an error, a warning, a confirmation, a field marked invalid, an
/// open dialog) and whether it is at phone width. Checked once per route and browser session, the 30 journeys ran axe
/// 154 times for 28 routes (about 40 % of their time on 2 December), mostly on the same sign-in and product pages in the
/// same state.
/// </para>
/// <para>
/// axe runs in the page itself (<c>axe.run</c>, injected once per document and into each frame), asked for violations
/// only. Deque.AxeCore.Playwright's <c>RunAxe</c> runs it as <c>runPartial</c> per frame and <c>finishRun</c> in a new
/// blank page each time: 1.0-2.0 s a page here, against 0.2-0.5 s this way (3 December, 18 checks of two journeys:
/// 26 s against 5.8 s). The rules are the same (axe-core's defaults, the copy bundled with Deque.AxeCore.Commons);
/// <see cref="AccessibilityCheckTests"/> shows a violation in the page and one in a frame still fail.
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

    private static readonly Lazy<string> AxeSource = new(() => new Deque.AxeCore.Commons.BundledAxeScriptProvider().GetScript());

    // Violations only (axe collects no passes), serious and critical kept, five elements each. A frame that does not
    // answer (not loaded yet) is reported by axe's frame-tested rule after frameWaitTime instead of stalling a minute.
    private const string RunScript = """
        async () => {
          const result = await window.axe.run(document, { resultTypes: ['violations'], frameWaitTime: 5000 });
          return JSON.stringify(result.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                         nodes: v.nodes.slice(0, 5).map(n => ({ target: JSON.stringify(n.target), html: n.html })) })));
        }
        """;

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    internal sealed record Violation(string Id, string Impact, string Help, string HelpUrl, ViolationNode[] Nodes);

    internal sealed record ViolationNode(string Target, string Html);

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
        var violations = await ViolationsAsync(page);
        if (violations.Length > 0)
        {
            var lines = violations.Select(v =>
                $"- {v.Impact} {v.Id}: {v.Help} ({v.HelpUrl})\n" + string.Join("\n", v.Nodes.Take(5).Select(n => $"    {n.Target}: {n.Html}")));
            throw new Xunit.Sdk.XunitException($"Accessibility (axe-core) on {page.Url}:\n{string.Join("\n", lines)}");
        }
    }

    /// <summary>Runs axe on the page as it is (no once-per-state skip): its serious and critical violations.</summary>
    internal static async Task<Violation[]> ViolationsAsync(IPage page)
    {
        // Every frame gets axe-core too, so axe.run in the top document tests the frames' content as well.
        foreach (var frame in page.Frames)
        {
            if (!frame.IsDetached && !await frame.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
            {
                await frame.EvaluateAsync(AxeSource.Value);
            }
        }
        return System.Text.Json.JsonSerializer.Deserialize<Violation[]>(await page.EvaluateAsync<string>(RunScript), Json)!;
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
