using System.Reflection;
using ChaosModular.Composition;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChaosModular.UnitTests.Architecture;

/// <summary>Page models bind, call a handler in Features/ and show: none reaches the database itself.</summary>
public sealed class ThinPageTests
{
    private static IEnumerable<Assembly> PageAssemblies =>
        ModuleList.All.Select(m => m.GetType().Assembly).Append(typeof(Program).Assembly);

    [Fact]
    public void No_page_model_takes_a_DbContext()
    {
        var pageModels = PageAssemblies.SelectMany(a => a.GetTypes()).Where(t => typeof(PageModel).IsAssignableFrom(t)).ToList();

        Assert.NotEmpty(pageModels);
        Assert.Empty(DbContextDependencies(pageModels));
    }

    [Fact]
    public void Negative_control_a_page_model_taking_a_DbContext_is_caught()
    {
        Assert.Equal(["ThinPageTests+PageWithDatabase takes StrayContext"], DbContextDependencies([typeof(PageWithDatabase)]));
    }

    private static List<string> DbContextDependencies(IEnumerable<Type> pageModels) =>
        pageModels
            .SelectMany(page => page.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .SelectMany(c => c.GetParameters())
                .Select(p => p.ParameterType)
                .Concat(page.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Select(p => p.PropertyType))
                .Where(t => typeof(DbContext).IsAssignableFrom(t))
                .Distinct()
                .Select(t => $"{page.FullName![(page.Namespace!.Length + 1)..]} takes {t.Name}"))
            .ToList();

    private sealed class StrayContext : DbContext;

    private sealed class PageWithDatabase(StrayContext db) : PageModel
    {
        public int Count => db.ChangeTracker.Entries().Count();
    }
}
