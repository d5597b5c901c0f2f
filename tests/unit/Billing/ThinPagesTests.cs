using System.Reflection;
using ChaosModular.Billing;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.UnitTests.Billing;

/// <summary>Billing's pages bind, call a Features handler and show; none reads or writes the database itself.</summary>
public sealed class ThinPagesTests
{
    private static IReadOnlyList<string> PagesTakingADbContext(IEnumerable<Type> types) =>
        types.Where(t => typeof(PageModel).IsAssignableFrom(t) && !t.IsAbstract)
            .Where(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .Any(c => c.GetParameters().Any(p => typeof(DbContext).IsAssignableFrom(p.ParameterType))))
            .Select(t => t.Name).ToList();

    [Fact]
    public void No_billing_page_model_takes_a_db_context()
    {
        var pages = typeof(BillingModule).Assembly.GetTypes().Where(t => typeof(PageModel).IsAssignableFrom(t)).ToList();

        Assert.Equal(4, pages.Count);   // Index, Pay, PaymentMethods, Information: the rule checks something
        Assert.Empty(PagesTakingADbContext(pages));
    }

    [Fact]
    public void Negative_control_a_page_model_taking_a_db_context_is_caught() =>
        Assert.Equal([nameof(FatPage)], PagesTakingADbContext([typeof(FatPage), typeof(ThinPage)]));

    private sealed class FatPage(DbContext db) : PageModel
    {
        public DbContext Db => db;
    }

    private sealed class ThinPage : PageModel;
}
